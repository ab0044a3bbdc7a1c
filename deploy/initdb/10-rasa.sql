-- Rasa's tracker store gets a database of its own next to the assistant's.
CREATE DATABASE rasa OWNER assistant;
