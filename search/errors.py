"""The project's own exception types; the CLI and web app turn them into messages."""


class DocsearchError(Exception):
    """Base of every error docsearch reports to a user as one clear line."""


class DocumentError(DocsearchError):
    """A file could not be read as a document (empty, binary, unreadable)."""


class IndexStateError(DocsearchError):
    """The index is missing, locked, corrupt or not a docsearch index."""


class QueryError(DocsearchError):
    """A query could not be parsed or would be too expensive to run."""


def failure_reason(exc: BaseException) -> str:
    """Why one document failed, for a `skipped: PATH: REASON` line, from an unexpected error."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"could not be read ({type(exc).__name__}{': ' + detail if detail else ''})"
