"""Microscope QC metrics as graph observations (issue: QC module). Uses kg; never imports api."""
