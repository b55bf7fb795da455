"""Project tooling that seeds every app: the demo loader (`manage.py load_demo`) and the
national-scale seeder for benchmarks (`manage.py seed_scale`, scale/).

It sits beside ogp_portal/urls.py, not inside a domain app, because it writes every app's data;
like urls.py it may import every app (shared/architecture.md). Each app keeps its own demo data
in `<app>/demo.py`.
"""
