"""docsearch core: documents in, paragraphs with speakers/organisations/dates out, searchable."""

__version__ = "0.1.0"
