"""rasd's extraction pipeline: `Pipeline().parse(text, published=...)` → `Result`."""
from .document import Document, Meta, Sentence, Token
from .mentions import ActorMention, CasualtyMention, DateMention, EventRow, Mention, PlaceMention
from .pipeline import REGISTRY, Pipeline, Result, StageError, stage

__all__ = [
    "ActorMention", "CasualtyMention", "DateMention", "Document", "EventRow", "Mention", "Meta",
    "PlaceMention", "Pipeline", "REGISTRY", "Result", "Sentence", "StageError", "Token", "stage",
]
