"""Finding the agenda items: outline, front sheet, stamps, headings and file names, judged together."""
