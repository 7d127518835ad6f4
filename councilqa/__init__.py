"""councilqa: question answering over local-government committee papers."""

__version__ = "0.1.0"
