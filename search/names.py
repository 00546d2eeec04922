"""People's names as news text writes them: the gender a title or first name implies.

Pronouns ("she said") resolve to the nearest person they can refer to, so a reader needs to
know who cannot be meant: a "Mr" is not a "she". Evidence comes from honorifics and gendered
role words, from common first names, and from the pronouns the document already used.
"""

from __future__ import annotations

from search.organisations import word_set

MALE = "m"
FEMALE = "f"

_MALE_WORDS = word_set("""mr mr. sir lord king prince duke baron father brother son husband
    spokesman chairman congressman businessman councilman assemblyman alderman sheikh emir
    pope cardinal bishop rabbi ayatollah""")
_FEMALE_WORDS = word_set("""mrs mrs. ms ms. miss dame lady queen princess duchess baroness
    mother sister daughter wife widow spokeswoman chairwoman congresswoman businesswoman
    councilwoman assemblywoman grandmother mom""")

# Common English first names; a name in neither list leaves the gender open.
_MALE_NAMES = word_set("""Aaron Adam Alan Albert Alex Alexander Andrew Anthony Antonio Arthur
    Barack Ben Benjamin Bernie Bill Bob Boris Brad Brandon Brian Bruce Carl Charles Charlie
    Chris Christopher Chuck Colin Craig Dan Daniel Dave David Dennis Dick Donald Doug Douglas
    Ed Edward Eric Frank Fred Gary Gavin George Gerald Gordon Greg Harry Henry Howard Ian
    Jack Jacob Jake James Jason Jeb Jeff Jeffrey Jeremy Jerry Jim Joe John Jonathan Joseph
    Josh Juan Justin Keith Ken Kenneth Kevin Larry Lee Liam Luis Marco Mark Martin Matt
    Matthew Michael Mike Mitch Nathan Neil Nicholas Nick Nigel Patrick Paul Pete Peter Phil
    Philip Ralph Randy Richard Rick Rob Robert Rod Roger Ron Ronald Rudy Russell Ryan Sam
    Samuel Scott Sean Stephen Steve Steven Ted Terry Thomas Tim Timothy Todd Tom Tony Vladimir
    Walter Wayne Xi""")
_FEMALE_NAMES = word_set("""Alice Amanda Amy Andrea Angela Ann Anna Anne Barbara Betsy Betty
    Carol Caroline Catherine Cathy Cheryl Christine Claire Debbie Deborah Diana Diane Donna
    Dorothy Elizabeth Ellen Emily Emma Eva Fiona Hannah Harriet Helen Hillary Ivanka
    Jane Janet Jean Jen Jessica Jill Joan Joanne Judith Judy Julia Julie Karen Kate
    Katherine Kathleen Kathy Kelly Kim Kimberly Laura Lauren Linda Lisa Liz Lucy Margaret
    Maria Marie Marion Martha Mary Megan Melania Melissa Michelle Nancy Natalie Nicola Nicole
    Nikki Olivia Pamela Patricia Pat Rachel Rebecca Rosa Ruth Samantha Sandra Sarah Sharon
    Shirley Sophie Stephanie Sue Susan Suzanne Teresa Theresa Tina Tracy Valerie Victoria
    Virginia Wendy Yvette""")


def gender_of(title_words: list[str], name: list[str]) -> str | None:
    """The gender a person's title words or first name implies, or None when they do not."""
    for word in title_words:
        lowered = word.lower()
        if lowered in _MALE_WORDS:
            return MALE
        if lowered in _FEMALE_WORDS:
            return FEMALE
    first = name[0] if name else ""
    if first in _MALE_NAMES:
        return MALE
    if first in _FEMALE_NAMES:
        return FEMALE
    return None


def pronoun_gender(pronoun: str) -> str | None:
    """The gender of 'he'/'she' (any case); None for other pronouns."""
    lowered = pronoun.lower()
    return MALE if lowered == "he" else FEMALE if lowered == "she" else None
