"""The ontology layer: pinned ontologies loaded offline, term lookup (local index and OLS4),
and the annotation engine with its reviewed mapping memory."""
