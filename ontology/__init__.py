"""The kg ontology, SHACL shapes and domain gazetteer, shipped as package data."""
