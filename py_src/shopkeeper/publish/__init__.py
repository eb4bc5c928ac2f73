"""Publishing (CPython + numpy): merchant inputs in, a verified static model out.

The faces the command line uses: `read.catalog.read_catalog`, `read.events.read_event_log`,
`read.site_config.load_site_config`, `train.pipeline.train_model`,
`evaluate.holdout.run_evaluation` and `output.write_output_atomically`. This package
imports none of them itself, so that `shopkeeper --help` or a refused option does not
wait for numpy.
"""

__all__: list[str] = []
