"""Open data: the public datasets (CSV and a Frictionless Data Package), Popolo JSON per
partnership, IATI 2.03 activity XML, and their catalogue (docs/opendata.md, ADR 0025)."""
