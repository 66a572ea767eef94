"""Regionet: public funding programmes for cooperation between regions."""
