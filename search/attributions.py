"""Attributions: who is quoted or reported in a paragraph, by which cue, and which words.

An attribution is data, not only a name: the speaker, the cue as written ("said",
"according to", a transcript label "MS. DOE:"), whether the words are quoted ("direct"),
reported without quotation marks ("indirect") or both ("mixed"), and the character span of
those words in the paragraph's text as displayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["direct", "indirect", "mixed"]
KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")


@dataclass(frozen=True)
class Attribution:
    """One speaker's quoted or reported words in one paragraph."""

    speaker: str
    cue: str
    kind: Kind
    quote: tuple[int, int]

    def as_dict(self) -> dict:
        """The JSON form: {"speaker", "cue", "kind", "quote": [start, end]}."""
        return {"speaker": self.speaker, "cue": self.cue, "kind": self.kind,
                "quote": [self.quote[0], self.quote[1]]}

    @classmethod
    def from_dict(cls, data: dict) -> Attribution:
        """The attribution a JSON form describes."""
        start, end = data["quote"]
        return cls(data["speaker"], data["cue"], data["kind"], (int(start), int(end)))
