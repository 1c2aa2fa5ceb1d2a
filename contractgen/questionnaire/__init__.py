"""Questions (the schema in the library's questionnaire.yaml) and answers (loading, validation)."""
