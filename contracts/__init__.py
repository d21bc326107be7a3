"""Wire types of the Cytomine API: generated Structs, envelopes and domain errors.

Import the submodules (``contracts._generated``, ``contracts.envelopes``,
``contracts.errors``); the package itself imports nothing, so the generator
(``python -m contracts.codegen``) runs with the standard library alone.
"""
