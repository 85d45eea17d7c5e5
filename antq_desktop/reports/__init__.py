"""Printed documents: plain data in, PDF out (reportlab only; no Qt, no database).

``frame`` holds the Nghị định 30 page frame; each document is a short module filling it.
"""
