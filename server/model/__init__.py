"""Inference only: no torch at serving time.

Public interface used by the rest of the server (and by bench/ and tests):

    from kindshield_server.model import ToxicityModel, ModelLoadError, default_model_dir

    model = ToxicityModel.load(default_model_dir(), threads=2)   # once per process
    results = model.analyze(["text", ...], lang="auto", explain=False)
    # -> list[TextResult] in input order; TextResult fields:
    #    toxic: bool, score: float (the `toxic` probability), severity: "none"|"low"|"medium"|"high",
    #    labels: dict[label -> probability], language: "en"|"zh"|"und", spans: tuple[Span(start, end, score)]
    model.name, model.version, model.labels, model.thresholds(language) -> dict[label -> float]
"""
from .normalize import NORMALIZATION_VERSION, detect_language, normalize, normalize_with_offsets
from .session import ModelLoadError, Span, TextResult, ToxicityModel, default_model_dir

__all__ = [
    "NORMALIZATION_VERSION", "detect_language", "normalize", "normalize_with_offsets",
    "ModelLoadError", "Span", "TextResult", "ToxicityModel", "default_model_dir",
]
