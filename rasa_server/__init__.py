"""The Rasa server as the project runs it (.venv-rasa): Rasa's own command line with the project's
runtime pieces — the gateway's input channel and a faster check of action-server replies. Nothing
here is a training input, and nothing here may import the project's `bot` package (other venv)."""
