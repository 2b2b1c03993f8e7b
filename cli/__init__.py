"""rasd's command line: readers, writers, the parallel runner and the Typer app."""
