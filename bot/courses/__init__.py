"""Course catalogue: store, CSV import and nearest-course search. No Rasa imports."""
