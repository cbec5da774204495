"""The JSON Schemas (draft-07) of monops catalog documents and of monops.yaml.

``catalog.schema.json`` is the source; ``<kind>.schema.json`` are generated
from it by ``monops schema KIND`` (a test keeps them in sync), so that an
editor's YAML language server can be pointed at one kind's file.
"""
