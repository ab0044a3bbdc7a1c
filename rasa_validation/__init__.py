"""`python -m bot validate`, Rasa side: every check of `rasa data validate --fail-on-warnings`, where a
response "not used in any story or rule" passes only when a form, a custom action or Rasa's default
fallback provably sends it. Runs in .venv-rasa (`python -m rasa_validation`); only `__main__` imports
Rasa, so the tests in .venv import the other modules. Not in rasa_addons/, whose bytes name the model."""
