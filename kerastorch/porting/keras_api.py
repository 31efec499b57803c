"""Names of Keras's public Model and Layer API (Keras 3 plus Keras 2's), to tell a missing
kerastorch feature from a typo in a script."""

LAYER_API = frozenset("""
activity_regularizer add_loss add_metric add_variable add_weight build build_from_config call
compute_dtype compute_mask compute_output_shape compute_output_spec count_params dtype
dtype_policy from_config get_build_config get_config get_weights inbound_nodes input
input_dtype input_mask input_shape input_spec load_own_variables losses metrics
metrics_variables name non_trainable_variables non_trainable_weights outbound_nodes output
output_mask output_shape path quantization_mode quantize save_own_variables set_weights
stateless_call supports_masking symbolic_call trainable trainable_variables trainable_weights
variable_dtype variables weights
""".split())

MODEL_API = LAYER_API | frozenset("""
add compile compile_from_config compiled_loss compiled_metrics compute_loss compute_metrics
distribute_strategy evaluate evaluate_generator export fit fit_generator get_compile_config
get_layer get_metrics_result get_state_tree history inputs jit_compile layers load_weights
loss make_predict_function make_test_function make_train_function metrics_names optimizer
outputs pop predict predict_generator predict_on_batch predict_step reset_metrics
reset_states run_eagerly save save_weights set_state_tree state_updates stateful
stop_training summary test_on_batch test_step to_json to_yaml train_on_batch train_step
""".split())
