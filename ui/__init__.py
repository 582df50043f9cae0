"""The Gradio practice app (`coach serve`). Only presentation lives here; the work is in `coach`."""
