"""The sandbox carrier: plays the national public postal service (VNPost) over HTTP for local development and the
tests (mounted at /sandbox/buu-dien/ by config/urls.py; production refuses it)."""
