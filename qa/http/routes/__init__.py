"""One router per area of the API; ``qa.http.app.create_app`` includes them all."""
