"""Text: normalisation and the folded key where all scripts meet, language detection,
name keys, compact postings, and locale formats (dates, alphabetical order)."""
