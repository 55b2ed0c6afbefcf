"""The FAQ: entries and their validation, the matcher, versions and drafts, the YAML
exchange file, unanswered questions, feedback, anonymous counts, the topic catalogue and menu."""
