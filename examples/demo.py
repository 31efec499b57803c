"""`make demo`: the Sequential guide on kerastorch, then (where available) training on real data."""

import os
import runpy

HERE = os.path.dirname(os.path.abspath(__file__))

print("=" * 20, "The Sequential model guide, imports changed to kerastorch", "=" * 20)
runpy.run_path(os.path.join(HERE, "sequential_guide.py"), run_name="__main__")
train_demo = os.path.join(HERE, "demo_train.py")
if os.path.exists(train_demo):
    print("=" * 20, "Training a CNN on scikit-learn's digits", "=" * 20)
    runpy.run_path(train_demo, run_name="__main__")
