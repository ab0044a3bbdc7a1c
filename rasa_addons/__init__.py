"""Custom Rasa 3.6 graph components. Imported by the Rasa server (.venv-rasa) only: nothing here may
import the project's `bot` package, which needs the other environment."""
