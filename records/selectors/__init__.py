"""Reads of the public record that pages, CSV/JSON files and PDFs share."""
