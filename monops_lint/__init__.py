"""monops: a monetization catalog kept as code, linted, rendered and diffed."""

__version__ = "0.1.0"
