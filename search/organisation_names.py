"""A table of well-known organisations: canonical names with their aliases and acronyms.

Written from general knowledge (US, UK, EU and international bodies, parties, companies,
media, universities, unions, think tanks, NGOs, armed groups, sports leagues). Each line is
``Canonical | alias | alias``; the canonical name is itself an alias. An alias written in
capitals (``FBI``, ``S.E.C.``) is an acronym and matches case-sensitively; other aliases
match the words of a capitalised run. Markers before an alias:

- ``the:`` the alias is a common word that names the organisation only after "the"
  ("the Guardian", "the Times");
- ``uk:`` the alias means this organisation only in British context ("the Treasury");
- ``~`` the alias is another spelling of the name, kept as the document writes it
  ("Wal-Mart", "World Health Organisation").
"""

from __future__ import annotations

_TABLE = """
# --- US federal government -------------------------------------------------------------
State Department | Department of State | State Dept. | U.S. State Department
Justice Department | Department of Justice | DOJ | Justice Dept.
Treasury Department | Treasury Dept. | US Treasury | U.S. Treasury
Department of the Treasury
HM Treasury | uk:Treasury | Her Majesty's Treasury | His Majesty's Treasury
Department of Defense | DOD | DoD
Defense Department | Defense Dept.
Department of Homeland Security | Homeland Security | DHS
Homeland Security Department
Department of Health and Human Services | Health and Human Services | HHS
Department of Housing and Urban Development | Housing and Urban Development | HUD
Department of Energy | DOE
Energy Department
Department of Commerce
Commerce Department
Department of Labor
Labor Department
Department of Agriculture | USDA
Agriculture Department
Department of Education
Education Department
Department of Transportation | DOT
Transportation Department
Department of the Interior
Interior Department
Department of Veterans Affairs
Veterans Affairs Department
Federal Bureau of Investigation | FBI | F.B.I.
Central Intelligence Agency | CIA | C.I.A.
National Security Agency | NSA | N.S.A.
National Security Council | NSC | N.S.C.
Environmental Protection Agency | EPA | E.P.A.
Food and Drug Administration | FDA | F.D.A.
Centers for Disease Control and Prevention | Centers for Disease Control | CDC | C.D.C.
National Institutes of Health | NIH
Internal Revenue Service | IRS | I.R.S.
Securities and Exchange Commission | SEC | S.E.C.
Federal Reserve | Fed
Federal Reserve Board
Federal Reserve System
Federal Communications Commission | FCC | F.C.C.
Federal Trade Commission | FTC | F.T.C.
Federal Election Commission | FEC | F.E.C.
Federal Aviation Administration | FAA | F.A.A.
Federal Emergency Management Agency | FEMA
Federal Deposit Insurance Corporation | FDIC
Commodity Futures Trading Commission | CFTC
Consumer Financial Protection Bureau | CFPB
National Aeronautics and Space Administration | NASA
National Oceanic and Atmospheric Administration | NOAA
National Transportation Safety Board | NTSB
Nuclear Regulatory Commission | NRC
Drug Enforcement Administration | DEA
Bureau of Alcohol, Tobacco, Firearms and Explosives | ATF | Bureau of Alcohol, Tobacco and Firearms
Immigration and Customs Enforcement | ICE
Homeland Security Investigations | HSI
Port Authority of New York and New Jersey | Port Authority
Customs and Border Protection | CBP | U.S. Customs and Border Protection
United States Citizenship and Immigration Services | Citizenship and Immigration Services | USCIS
Transportation Security Administration | TSA
Secret Service | United States Secret Service | U.S. Secret Service
Social Security Administration | SSA
Small Business Administration | SBA
Government Accountability Office | GAO
Congressional Budget Office | CBO
Office of Management and Budget | OMB
Office of the Director of National Intelligence | ODNI
Joint Chiefs of Staff | Joint Chiefs
Census Bureau | U.S. Census Bureau
Bureau of Labor Statistics | BLS
National Guard
United States Army | US Army | U.S. Army
United States Navy | US Navy | U.S. Navy
United States Air Force | US Air Force | U.S. Air Force
United States Marine Corps | US Marine Corps | U.S. Marine Corps | Marine Corps
Army Corps of Engineers
National Archives | National Archive
National Archives and Records Administration
Library of Congress
Peace Corps
Postal Service | United States Postal Service | U.S. Postal Service | USPS
Federal Housing Finance Agency | FHFA
Fannie Mae
Freddie Mac
Amtrak
National Labor Relations Board | NLRB
Equal Employment Opportunity Commission | EEOC
Occupational Safety and Health Administration | OSHA
Federal Energy Regulatory Commission | FERC
Financial Industry Regulatory Authority | FINRA
National Highway Traffic Safety Administration | NHTSA
United States Agency for International Development | USAID
U.S. Agency for International Development
Defense Advanced Research Projects Agency | DARPA
Cybersecurity and Infrastructure Security Agency | CISA
Congressional Research Service | CRS
Office of the United States Trade Representative | USTR
National Weather Service | NWS
United States Geological Survey | USGS | U.S. Geological Survey
National Park Service
Energy Information Administration | EIA
Office of Personnel Management | OPM
Federal Bureau of Prisons | Bureau of Prisons
North American Aerospace Defense Command | NORAD
American Israel Public Affairs Committee | AIPAC
Council on American-Islamic Relations | CAIR
People for the Ethical Treatment of Animals | PETA
J Street
National Economic Council | NEC
Domestic Policy Council
Council on Environmental Quality | CEQ
Office of Science and Technology Policy | OSTP
# --- US Congress, courts, parties -------------------------------------------------------
Congress | United States Congress | U.S. Congress | US Congress
Senate | United States Senate | U.S. Senate | US Senate
House of Representatives | United States House of Representatives | U.S. House of Representatives
Supreme Court | United States Supreme Court | U.S. Supreme Court | US Supreme Court
Senate Judiciary Committee
Senate Intelligence Committee
Senate Select Committee on Intelligence
Senate Foreign Relations Committee
Senate Armed Services Committee
Senate Finance Committee
Senate Banking Committee
House Intelligence Committee
House Permanent Select Committee on Intelligence
House Judiciary Committee
House Oversight Committee
House Committee on Oversight and Reform
House Oversight and Government Reform Committee
House Foreign Affairs Committee
House Armed Services Committee
House Ways and Means Committee | Ways and Means Committee
House Appropriations Committee
Senate Appropriations Committee
House Financial Services Committee
Congressional Black Caucus
Freedom Caucus
House Freedom Caucus
Republican Party | GOP | G.O.P. | Grand Old Party
Democratic Party
Libertarian Party
Green Party
Republican National Committee | RNC
Democratic National Committee | DNC
Democratic Congressional Campaign Committee | DCCC
National Republican Congressional Committee | NRCC
Democratic Senatorial Campaign Committee | DSCC
National Republican Senatorial Committee | NRSC
Republican Governors Association | RGA
Democratic Governors Association | DGA
Commission on Presidential Debates
Tea Party
# --- UK government, parliament, parties ------------------------------------------------
House of Commons | uk:Commons
House of Lords | uk:Lords
Conservative Party | Tories | Tory | Tory Party | uk:Conservatives
Conservative and Unionist Party
Labour Party | Labour
Liberal Democrats | Lib Dems | Lib Dem | Liberal Democrat Party
Scottish National Party | SNP
UK Independence Party | UKIP
Plaid Cymru
Democratic Unionist Party | DUP
Sinn Fein | ~Sinn Féin
Social Democratic and Labour Party | SDLP
Ulster Unionist Party | UUP
Brexit Party
Reform UK
Home Office
Foreign Office
Foreign and Commonwealth Office | FCO
Foreign, Commonwealth and Development Office
Ministry of Defence | MoD
Cabinet Office
Department for Education
Department of Health
Department of Health and Social Care
Department for Work and Pensions | DWP
Department of Trade and Industry | DTI
Department for Business, Innovation and Skills
Department for Environment, Food and Rural Affairs | Defra
Department for International Development | DfID
Department for Transport
Ministry of Justice
Crown Prosecution Service | CPS
National Health Service | NHS
Bank of England
Monetary Policy Committee
Financial Conduct Authority | FCA
Financial Services Authority | FSA
Office for National Statistics | ONS
Office for Budget Responsibility | OBR
Competition and Markets Authority
Ofcom
Ofsted
Ofgem
Electoral Commission
Metropolitan Police | Met Police
Metropolitan Police Service
Scotland Yard
MI5
MI6
Secret Intelligence Service
GCHQ
Equal Opportunities Commission | EOC
Commission for Racial Equality | CRE
Confederation of British Industry | CBI
Trades Union Congress | TUC
Institute of Directors | IoD
British Chambers of Commerce
Federation of Small Businesses
National Union of Journalists | NUJ
National Union of Teachers | NUT
National Union of Students | NUS
Unison
Unite | uk:Unite the Union
GMB
Royal Mail
Network Rail
Scottish Parliament
Welsh Assembly | Senedd
Northern Ireland Assembly
Irish Republican Army | uk:IRA | Provisional IRA
Ulster Volunteer Force | UVF
Police Service of Northern Ireland | PSNI
HM Revenue and Customs | HMRC | Revenue and Customs
Office of Fair Trading | OFT
Serious Fraud Office | SFO
National Crime Agency | NCA
Health and Safety Executive | HSE
Care Quality Commission | CQC
British Medical Association | BMA
Royal College of Nursing | RCN
National Farmers' Union | National Farmers Union | NFU
National Union of Rail, Maritime and Transport Workers | RMT
National Education Union | NEU
Ofwat
RSPCA | Royal Society for the Prevention of Cruelty to Animals
NSPCC | National Society for the Prevention of Cruelty to Children
Macmillan Cancer Support
Inland Revenue
HM Customs and Excise | Customs and Excise
National Audit Office | NAO
Audit Commission
Child Support Agency | CSA
Serious Organised Crime Agency | SOCA
Department for Constitutional Affairs
British National Party | uk:BNP
Respect Party
# --- European and international bodies ------------------------------------------------
European Union | EU | E.U.
European Commission
European Parliament
European Council
Council of the European Union
European Central Bank | ECB
European Court of Justice | ECJ
Court of Justice of the European Union
European Court of Human Rights
Council of Europe
United Nations | UN | U.N.
United Nations Security Council | UN Security Council | U.N. Security Council | Security Council
United Nations General Assembly | UN General Assembly | U.N. General Assembly
UNICEF
United Nations High Commissioner for Refugees | UNHCR
UNESCO
World Health Organization | WHO | ~World Health Organisation
World Trade Organization | WTO | ~World Trade Organisation
World Food Programme | WFP | ~World Food Program
International Monetary Fund | IMF | I.M.F.
World Bank
Inter-American Development Bank | IDB
Asian Development Bank | ADB
African Development Bank | AfDB
European Bank for Reconstruction and Development | EBRD
International Atomic Energy Agency | IAEA
International Criminal Court | ICC
International Court of Justice | ICJ
International Committee of the Red Cross | ICRC
Red Cross
American Red Cross
British Red Cross
Red Crescent
NATO | ~North Atlantic Treaty Organization | ~North Atlantic Treaty Organisation
Organization for Security and Co-operation in Europe | OSCE
Organization for Security and Cooperation in Europe
Organisation for Economic Co-operation and Development | OECD
Organization for Economic Cooperation and Development
Organisation for Economic Cooperation and Development
Organization of the Petroleum Exporting Countries | OPEC
Organisation for the Prohibition of Chemical Weapons | OPCW
Organization of American States | OAS
Pan American Health Organization | PAHO
African Union | AU
Arab League
Association of Southeast Asian Nations | ASEAN
Gulf Cooperation Council | GCC
Group of Seven | G7 | G-7
Group of 20 | G20 | G-20
International Energy Agency | IEA
International Labour Organization | ILO
Interpol
Europol
Frontex
United Nations Development Programme | UNDP
United Nations Environment Programme | UNEP
United Nations Relief and Works Agency | UNRWA
UNAIDS
Office of the United Nations High Commissioner for Human Rights | OHCHR
International Federation of Red Cross and Red Crescent Societies | IFRC
Food and Agriculture Organization | FAO
International Organization for Migration | IOM
Bank for International Settlements | BIS
Economic Community of West African States | ECOWAS
Asia-Pacific Economic Cooperation | APEC
Shanghai Cooperation Organisation | SCO
Mercosur
Kuomintang | KMT
Fatah
Palestine Liberation Organization | PLO
Fidesz
Law and Justice party
Liberal Democratic Party of Japan | LDP
Justice and Development Party | AKP
ZANU-PF
Hayat Tahrir al-Sham | HTS
Lashkar-e-Taiba
Jaish-e-Mohammed
Haqqani network | Haqqani Network
Forza Italia
# --- other governments and parties --------------------------------------------------------
Bundestag
Bundesbank
Kremlin
Duma | State Duma
Knesset
Communist Party of China | CCP
Chinese Communist Party
Communist Party
People's Liberation Army | PLA
Islamic Revolutionary Guard Corps | IRGC | Revolutionary Guards
Christian Democratic Union | CDU
Social Democratic Party | SPD
Alternative for Germany | AfD
Likud
African National Congress | ANC
Indian National Congress | Congress Party
Bharatiya Janata Party | BJP
Liberal Party
New Democratic Party | NDP
Fine Gael
Fianna Fail | ~Fianna Fáil
National Rally
Five Star Movement
Podemos
Syriza
# --- armed and militant groups ---------------------------------------------------------
Taliban
al-Qaeda | Al-Qaeda | Qaeda | ~Al Qaeda | ~al-Qaida | ~Al-Qaida | ~Al Qaida
Islamic State | ISIS | ISIL | Daesh
Islamic State of Iraq and Syria
Islamic State of Iraq and the Levant
Hamas
Hezbollah | ~Hizbollah | ~Hizballah
Islamic Jihad
Boko Haram
al-Shabab | Al-Shabab | ~Al-Shabaab | ~al-Shabaab | ~Al Shabaab
Houthis | Houthi movement
Ansar Allah
Muslim Brotherhood
Kurdistan Workers' Party | PKK
Syrian Democratic Forces | SDF
Free Syrian Army
Wagner Group
Ku Klux Klan | KKK
Proud Boys
Oath Keepers
Revolutionary Armed Forces of Colombia | FARC
Federal Security Service | FSB
GRU
Mossad
Inter-Services Intelligence | ISI
KGB
Stasi
Israel Defense Forces | IDF
White Helmets
People's Protection Units | YPG
Peshmerga
# --- courts and law enforcement ---------------------------------------------------------
Court of Appeal
High Court
Old Bailey
New York City Police Department | NYPD | New York Police Department
Los Angeles Police Department | LAPD
# --- US universities and schools --------------------------------------------------------
Harvard University | Harvard
Yale University | Yale
Princeton University | Princeton
Stanford University | Stanford
Columbia University
Cornell University
Duke University
Georgetown University | Georgetown
Johns Hopkins University | Johns Hopkins
Massachusetts Institute of Technology | MIT
New York University | NYU
University of Chicago
University of Pennsylvania | UPenn
Northwestern University
Brown University
Dartmouth College | Dartmouth
Vanderbilt University
Rice University
Emory University
Tufts University
Boston University
Carnegie Mellon University
California Institute of Technology | Caltech
University of California, Berkeley | UC Berkeley
University of California, Los Angeles | UCLA
University of Southern California | USC
University of Michigan
Michigan State University
Ohio State University
Pennsylvania State University | Penn State
University of Texas
Texas A&M University | Texas A&M
University of Virginia
University of Wisconsin
Quinnipiac University | Quinnipiac
Marist College | Marist
Monmouth University | Monmouth
Hofstra University
Rutgers University | Rutgers
Fordham University
George Washington University
American University
Howard University
Georgia Tech | Georgia Institute of Technology
Purdue University
Indiana University
University of Notre Dame
# --- UK and other universities ----------------------------------------------------------
University of Oxford | Oxford University
University of Cambridge | Cambridge University
London School of Economics | LSE
Imperial College London | Imperial College
University College London | UCL
King's College London
University of Edinburgh | Edinburgh University
University of Manchester | Manchester University
Sorbonne
# --- think tanks, NGOs, campaign groups, unions (US and international) --------------------
Brookings Institution | Brookings
Heritage Foundation
Cato Institute
American Enterprise Institute | AEI
Center for American Progress
Council on Foreign Relations
RAND Corporation | RAND
Pew Research Center | Pew
Urban Institute
Tax Policy Center
Peterson Institute for International Economics
Center for Strategic and International Studies | CSIS
Carnegie Endowment for International Peace
Chatham House
Royal Institute of International Affairs
Institute for Fiscal Studies | IFS
Institute for Public Policy Research | IPPR
Adam Smith Institute
Resolution Foundation
King's Fund
Amnesty International | Amnesty
Human Rights Watch
Doctors Without Borders | ~Medecins Sans Frontieres | ~Médecins Sans Frontières | MSF
Oxfam
Save the Children
Greenpeace
Friends of the Earth
Sierra Club
World Wildlife Fund | WWF
World Wide Fund for Nature
Transparency International
Reporters Without Borders
Committee to Protect Journalists | CPJ
American Civil Liberties Union | ACLU
National Association for the Advancement of Colored People | NAACP
Southern Poverty Law Center | SPLC
Anti-Defamation League | ADL
Planned Parenthood
National Rifle Association | NRA
Everytown for Gun Safety | Everytown
Club for Growth
Americans for Prosperity
Chamber of Commerce | U.S. Chamber of Commerce
Business Roundtable
National Association of Manufacturers
Judicial Watch
Public Citizen
Common Cause
Brennan Center for Justice | Brennan Center
MoveOn | MoveOn.org
Black Lives Matter
Citizens United
Emily's List | EMILY's List
AARP
AFL-CIO
Service Employees International Union | SEIU
Teamsters
International Brotherhood of Teamsters
United Auto Workers | UAW
American Federation of Teachers | AFT
National Education Association | NEA
American Medical Association | AMA
American Bar Association | ABA
Bill & Melinda Gates Foundation | Gates Foundation | Bill and Melinda Gates Foundation
Clinton Foundation
Open Society Foundations
Salvation Army
Catholic Church | Roman Catholic Church
Church of England
Vatican
International Olympic Committee | IOC
# --- sports -----------------------------------------------------------------------------
National Football League | NFL | N.F.L.
National Basketball Association | NBA | N.B.A.
Major League Baseball | MLB
National Hockey League | NHL
Major League Soccer | MLS
National Collegiate Athletic Association | NCAA
FIFA
UEFA
Football Association | uk:FA
Premier League
Priorities USA
Priorities USA Action
Correct the Record
Our Revolution
FreedomWorks
Heritage Action
Hillary for America
SurveyMonkey
COVAX
# --- sports clubs ------------------------------------------------------------------------
Arizona Cardinals
Atlanta Falcons
Baltimore Ravens
Buffalo Bills
Carolina Panthers
Chicago Bears
Cincinnati Bengals
Cleveland Browns
Dallas Cowboys
Denver Broncos
Detroit Lions
Green Bay Packers
Houston Texans
Indianapolis Colts
Jacksonville Jaguars
Kansas City Chiefs
Las Vegas Raiders
Oakland Raiders
Los Angeles Chargers
San Diego Chargers
Los Angeles Rams
St. Louis Rams
Miami Dolphins
Minnesota Vikings
New England Patriots
New Orleans Saints
New York Giants
New York Jets
Philadelphia Eagles
Pittsburgh Steelers
San Francisco 49ers
Seattle Seahawks
Tampa Bay Buccaneers
Tennessee Titans
Washington Redskins
Washington Commanders
Boston Celtics
Brooklyn Nets
New York Knicks
Philadelphia 76ers
Toronto Raptors
Chicago Bulls
Cleveland Cavaliers
Detroit Pistons
Indiana Pacers
Milwaukee Bucks
Atlanta Hawks
Charlotte Hornets
Miami Heat
Orlando Magic
Washington Wizards
Denver Nuggets
Minnesota Timberwolves
Oklahoma City Thunder
Portland Trail Blazers
Utah Jazz
Golden State Warriors
Los Angeles Clippers
Los Angeles Lakers
Phoenix Suns
Sacramento Kings
Dallas Mavericks
Houston Rockets
Memphis Grizzlies
New Orleans Pelicans
San Antonio Spurs
New York Yankees
New York Mets
Boston Red Sox
Baltimore Orioles
Tampa Bay Rays
Toronto Blue Jays
Chicago White Sox
Chicago Cubs
Cleveland Indians
Cleveland Guardians
Detroit Tigers
Kansas City Royals
Minnesota Twins
Houston Astros
Los Angeles Angels
Oakland Athletics
Seattle Mariners
Texas Rangers
Atlanta Braves
Miami Marlins
Philadelphia Phillies
Washington Nationals
Cincinnati Reds
Milwaukee Brewers
Pittsburgh Pirates
St. Louis Cardinals
Arizona Diamondbacks
Colorado Rockies
Los Angeles Dodgers
San Diego Padres
San Francisco Giants
Manchester United
Manchester City
Liverpool FC | Liverpool Football Club
Chelsea FC | Chelsea Football Club
Arsenal
Tottenham Hotspur | Tottenham
Real Madrid
Barcelona FC | FC Barcelona
Bayern Munich
Juventus
Paris Saint-Germain | PSG
Celtic FC
Rangers FC
# --- news media: US ----------------------------------------------------------------------
New York Times | NYT | the:Times
New York Times Company
Washington Post | the:Post
Wall Street Journal | WSJ | the:Journal
USA Today | USA TODAY
Los Angeles Times | LA Times | L.A. Times
Chicago Tribune
Boston Globe | the:Globe
New York Post
New York Daily News | Daily News
San Francisco Chronicle
Miami Herald
Houston Chronicle
Dallas Morning News
Philadelphia Inquirer
Atlanta Journal-Constitution
Seattle Times
Denver Post
Detroit Free Press
Detroit News
Star Tribune
Tampa Bay Times
Arizona Republic
Baltimore Sun
Newsday
Associated Press | AP | A.P.
Reuters
Thomson Reuters
Bloomberg
Bloomberg News
United Press International | UPI
Agence France-Presse | AFP | ~Agence France Presse
Xinhua
Xinhua News Agency
Tass | TASS
Interfax
Kyodo News
Kyodo
Yonhap
Yonhap News Agency
Press Association | uk:PA
PA Media
CNN
MSNBC
CNBC
Fox News
Fox News Channel
Fox Business | Fox Business Network
ABC News
CBS News
NBC News
ABC
CBS
NBC
PBS
NPR | National Public Radio
C-SPAN
Univision
Telemundo
HBO
ESPN
Politico | POLITICO
Axios
The Hill
Huffington Post | HuffPo
HuffPost
BuzzFeed
BuzzFeed News
Breitbart
Breitbart News
Daily Caller
Drudge Report
Vox
Slate
Salon
Vice News
Vice Media
ProPublica
FiveThirtyEight | 538
RealClearPolitics | RealClear Politics | RCP
The Atlantic
The New Yorker
New York magazine
Time magazine
Newsweek
Forbes
Fortune
Bloomberg Businessweek | Businessweek
Rolling Stone
Vanity Fair
Cosmopolitan
Vogue
National Review
Weekly Standard
Washington Times
Washington Examiner
Roll Call
National Journal
Daily Beast
TMZ
Gallup
Rasmussen Reports | Rasmussen
Ipsos
YouGov
Morning Consult
Gannett
Tribune Publishing
McClatchy
Sinclair Broadcast Group | Sinclair
Nexstar
# --- news media: UK and international --------------------------------------------------
BBC | British Broadcasting Corporation
BBC News
BBC One
BBC1
BBC Two
BBC2
BBC Radio 4 | Radio 4
BBC World Service | World Service
ITV
ITN
Channel 4 | Channel Four
Channel 5
Sky News
Sky
Financial Times | FT
Daily Telegraph | the:Telegraph
Sunday Telegraph
Telegraph Group | Telegraph Media Group
The Times | Times of London
Sunday Times
The Guardian | the:Guardian
The Observer | the:Observer
The Independent | the:Independent
Evening Standard | London Evening Standard
Daily Mail
Mail on Sunday
Daily Mirror | the:Mirror
Sunday Mirror
Daily Express | the:Express
Sunday Express
Daily Star
The Sun | the:Sun
News of the World
The Economist | the:Economist | Economist magazine
The Spectator | the:Spectator
New Statesman
Private Eye
The Scotsman | the:Scotsman
The Herald | Glasgow Herald
Irish Times
Al Jazeera | ~Al-Jazeera
Al Arabiya
Russia Today
Sputnik
Der Spiegel | Spiegel
Le Monde
Le Figaro
El Pais | ~El País
Die Welt
Deutsche Welle | DW
France 24
Euronews
CBC | Canadian Broadcasting Corporation
Globe and Mail
Toronto Star
Sydney Morning Herald
ABC Australia | Australian Broadcasting Corporation
South China Morning Post
Times of India
Haaretz
Jerusalem Post
Dawn
News Corp | Newscorp
News Corporation
News International
News UK
Daily Mail and General Trust | Daily Mail & General Trust | DMGT
Guardian Media Group
Trinity Mirror
Reach plc
Hollinger International | Hollinger
Pearson
Axel Springer
Bertelsmann
Associated Newspapers
Condé Nast | ~Conde Nast
Hearst
Hearst Communications
Hearst Corporation
Penguin Random House
Random House
HarperCollins | ~Harper Collins
Simon & Schuster
Hachette
Hachette Book Group
Hachette Livre
Macmillan Publishers
# --- technology and internet ------------------------------------------------------------
Apple
Google
Alphabet
Amazon | Amazon.com
Microsoft
Facebook
Meta | Meta Platforms
Twitter
Instagram
WhatsApp
YouTube
TikTok
ByteDance
Snapchat
LinkedIn
Reddit
Netflix
Uber
Lyft
Airbnb
Tesla
Tesla Motors
SpaceX
IBM | International Business Machines
Intel
Nvidia
AMD | Advanced Micro Devices
Qualcomm
Cisco
Cisco Systems
Oracle
Salesforce
Adobe
Dell
Dell Technologies
Hewlett-Packard | HP
Samsung
Samsung Electronics
Sony
Huawei
ZTE
Alibaba
Tencent
Baidu
Xiaomi
Nokia
Ericsson
Yahoo
eBay
PayPal
Spotify
OpenAI
Wikipedia
Wikileaks | WikiLeaks
# --- finance ----------------------------------------------------------------------------
Goldman Sachs
Morgan Stanley
JPMorgan Chase | JPMorgan | JP Morgan | J.P. Morgan
Bank of America
Citigroup | Citi
Citibank
Wells Fargo
Barclays
HSBC
Lloyds Banking Group | Lloyds
Lloyds TSB
Royal Bank of Scotland | RBS
NatWest
Standard Chartered
Deutsche Bank
Credit Suisse
UBS
BNP Paribas
Societe Generale | ~Société Générale
Santander
ING
BlackRock
Vanguard
Fidelity
Charles Schwab
TD Ameritrade
Berkshire Hathaway
Bridgewater Associates
Blackstone
Lehman Brothers
Bear Stearns
Merrill Lynch
Moody's
Standard & Poor's | S&P
Fitch | Fitch Ratings
Nasdaq
New York Stock Exchange | NYSE
London Stock Exchange | LSE Group
Visa
Mastercard
American Express
# --- industry and retail ----------------------------------------------------------------
Walmart | ~Wal-Mart
Target
Costco
Home Depot
Starbucks
McDonald's
Coca-Cola
PepsiCo | Pepsi
Nike
Procter & Gamble
Johnson & Johnson
Pfizer
Moderna
Merck
AstraZeneca
GlaxoSmithKline | GSK
Novartis
Roche
Sanofi
Bayer
Exxon Mobil | ~ExxonMobil | Exxon
Chevron
BP
Royal Dutch Shell | Shell
TotalEnergies
ConocoPhillips
Gazprom
Rosneft
Saudi Aramco | Aramco
General Motors | GM
Chrysler
Fiat Chrysler
Toyota
Volkswagen | VW
BMW
Daimler
Mercedes-Benz
Honda
Nissan
Hyundai
Boeing
Airbus
Lockheed Martin
Raytheon
Northrop Grumman
General Dynamics
General Electric | GE
Siemens
Caterpillar
3M
Halliburton
Koch Industries
AT&T
Verizon
Comcast
Disney
Walt Disney Company
Walt Disney Co.
Time Warner
Warner Bros
Viacom
Paramount
Vodafone
BT | British Telecom | BT Group
Tesco
Sainsbury's
Asda
Marks & Spencer | Marks and Spencer
Unilever
Rolls-Royce
BAE Systems
British Airways
easyJet
Ryanair
Virgin Atlantic
Virgin Group
American Airlines
Delta Air Lines | ~Delta Airlines
United Airlines
Southwest Airlines
Lufthansa
Air France
Emirates
FedEx
UPS
Purdue Pharma
Enron
Ford Motor Company | Ford Motor | Ford
Kroger
Walgreens
CVS
CVS Health
UnitedHealth
UnitedHealth Group
Aetna
Cigna
AbbVie
Amgen
Gilead
Gilead Sciences
Medtronic
T-Mobile
Honeywell
Deloitte
PwC | PricewaterhouseCoopers
KPMG
Ernst & Young | EY
McKinsey
McKinsey & Company
Accenture
AIG | American International Group
MetLife
Allstate
DoorDash
Palantir
Stellantis
Renault
Peugeot
Fiat
Volvo
Porsche
Audi
Ferrari
Ikea | IKEA
Nestle | ~Nestlé
Danone
LVMH
Carrefour
Aldi
Lidl
Morrisons
Waitrose
Primark
Burberry
Diageo
Rio Tinto
Glencore
ArcelorMittal
Infosys
Foxconn
TSMC | Taiwan Semiconductor Manufacturing Company
SoftBank
Toshiba
Panasonic
Hitachi
Mitsubishi
Nintendo
Lukoil
Aeroflot
Etihad
Qantas
KLM
Expedia
Marriott
Hyatt
Chipotle
Burger King
KFC
Heineken
Anheuser-Busch
Anheuser-Busch InBev | AB InBev
Altria
Juul
Monsanto
Cargill
Mattel
Hasbro
Newsmax
One America News | OAN
Daily Wire
The Intercept
Bellingcat
LBC
GB News
Yukos
Parmalat
WorldCom
Vivendi
Deutsche Telekom
France Telecom
Telecom Italia
AOL
EMI
BSkyB
Cable & Wireless
MG Rover
Jaguar Land Rover
Vauxhall
EADS
Railtrack
Eurotunnel
Abbey National
HBOS
Northern Rock
Alliance & Leicester
Prudential
Aviva
Standard Life
Legal & General
Equitable Life
Ahold | Royal Ahold
Alstom
Philips
Kmart
Sears
Lenovo
PeopleSoft
Sun Microsystems
Woolworths
Whitbread
Kingfisher
Dixons
Safeway
"""


def _parse(table: str) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    after_the: dict[str, str] = {}
    british: dict[str, str] = {}
    for line in table.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        aliases = [alias.strip() for alias in line.split("|")]
        canonical = aliases[0]
        for alias in aliases:
            if alias.startswith("the:"):
                after_the[alias[4:]] = canonical
            elif alias.startswith("~"):
                names.setdefault(alias[1:].lower(), alias[1:])
            elif alias.startswith("uk:"):
                british[alias[3:]] = canonical
            elif _is_acronym(alias):
                acronyms[alias] = canonical
            else:
                names.setdefault(alias.lower(), canonical)
    return names, acronyms, after_the, british


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return " " not in alias and len(letters) >= 2 and sum(c.isupper() for c in letters) >= \
        len(letters) - (1 if len(letters) > 3 else 0)


# Known names by their lower-cased words; acronyms by their exact spelling; common words that
# name a paper only after "the"; short forms that mean a British body in British context.
KNOWN_NAMES, KNOWN_ACRONYMS, NAMES_AFTER_THE, BRITISH_SHORT_FORMS = _parse(_TABLE)
KNOWN_FIRST_WORDS = frozenset(name.split()[0] for name in KNOWN_NAMES)
KNOWN_MAX_WORDS = max(len(name.split()) for name in KNOWN_NAMES)
