"""rasa-sdk custom actions, one module per capability. Actions read slots, call a plain service
and map its structured result to a response name from domain.yml."""
