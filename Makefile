# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
TORCH_PINS := torch==2.14.1 torchvision==0.29.1
# Real tf.keras 2 (the Keras 2 oracle) lives in a venv of its own, outside the clone, so that
# every clone and CI run on this machine reuses it (about 2.2 GB, 1.5 minutes to create).
TF_PINS := tensorflow-cpu==2.21.0 tf-keras==2.21.0 h5py pillow scipy
TF_VENV ?= $(HOME)/.cache/kerastorch/tf-2.21
TF_PY := $(TF_VENV)/bin/python

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH_PINS)
	$(PY) -m pip install -q -e '.[dev]' $(TORCH_PINS)
	touch $@

$(TF_VENV)/.installed-2.21.0-pil:
	python3 -m venv $(TF_VENV)
	$(TF_PY) -m pip install -q $(TF_PINS)
	$(TF_PY) -c "import tf_keras, tensorflow; assert tf_keras.__version__ == '2.21.0'"
	touch $@

.PHONY: install install-tf demo test bench keras2-fixtures
install: $(VENV)/.installed
install-tf: $(TF_VENV)/.installed-2.21.0-pil

demo: $(VENV)/.installed
	$(PY) examples/demo.py

test: $(VENV)/.installed $(TF_VENV)/.installed-2.21.0-pil
	KERAS_BACKEND=torch KERASTORCH_TF_PYTHON=$(TF_PY) $(PY) -m pytest -q tests compat_tests

# Regenerates the committed Keras 2 fixtures with real tf.keras (tests/keras2/make_files.py);
# NAMES="cnn_bn_dropout zoo/Dense ..." regenerates only those.
keras2-fixtures: $(TF_VENV)/.installed-2.21.0-pil
	TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES= $(TF_PY) tests/keras2/make_files.py tests/keras2/fixtures $(NAMES)

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_forward.py
