"""Pipeline options for tests: a named offline runner (a bare DirectRunner or
TestPipeline would first try to download Prism)."""

from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline

RUNNER = ["--runner=FnApiRunner"]


def offline_pipeline() -> TestPipeline:
    return TestPipeline(options=PipelineOptions(RUNNER))
