"""moto's server (moto_server) with CloudFormation failure handling added.

moto 5.2.1 executes a change set without resource events and without
rollback (its ``execute_change_set`` carries "TODO: handle execution errors
and implement rollback"): a resource that fails to create makes the API call
fail and leaves the stack half-made. Real CloudFormation instead records a
``CREATE_FAILED`` event with the reason, rolls back and ends in
``ROLLBACK_COMPLETE``. The deploy tests need that state, so this wrapper adds
it; what fails, and the reason, are still moto's own validation.

It also computes a stack's outputs after a change set ran (moto computes them
only when the stack is made), and records ``CREATE_IN_PROGRESS``/``CREATE_COMPLETE`` resource events,
as CloudFormation does, so that progress is observable.

Usage: python tests/moto_cfn_server.py -H 127.0.0.1 -p PORT
"""

from moto.cloudformation import models, parsing
from moto.server import main

_create = parsing.parse_and_create_resource
_execute = models.CloudFormationBackend.execute_change_set


def _stack(resources_map):
    backend = models.cloudformation_backends[resources_map._account_id][resources_map._region_name]
    return backend.stacks.get(resources_map["AWS::StackId"])


def _event(stack, logical_id, resource_type, status, reason=None, physical=""):
    stack.events.append(
        models.Event(stack.stack_id, stack.name, logical_id, physical or "", resource_type, status, reason, None)
    )


def create_with_events(logical_id, resource_json, resources_map, account_id, region_name):
    stack = _stack(resources_map)
    resource_type = resource_json.get("Type", "")
    if stack is not None:
        _event(stack, logical_id, resource_type, "CREATE_IN_PROGRESS")
    try:
        made = _create(logical_id, resource_json, resources_map, account_id, region_name)
    except Exception as e:
        if stack is not None:
            _event(stack, logical_id, resource_type, "CREATE_FAILED", str(e) or type(e).__name__)
            stack.failed_resource = logical_id
        raise
    if stack is not None and made is not None:
        _event(stack, logical_id, resource_type, "CREATE_COMPLETE", physical=getattr(made, "physical_resource_id", ""))
    return made


def execute_with_rollback(self, change_set_name, stack_name=None):
    change_set = self.change_sets.get(change_set_name) or next(
        (c for c in self.change_sets.values() if c.change_set_name == change_set_name), None
    )
    try:
        _execute(self, change_set_name, stack_name)
        # moto computes outputs when the stack is made (before a CREATE change
        # set has resources) and not again: compute them as CloudFormation does.
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.output_map = stack._create_output_map()
        return
    except Exception:
        if change_set is None:
            raise
    stack = self.stacks[change_set.stack_id]
    failed = getattr(stack, "failed_resource", "unknown")
    create = change_set.change_set_type == "CREATE"
    kind = "create" if create else "update"
    prefix = "ROLLBACK" if create else "UPDATE_ROLLBACK"
    stack._add_stack_event(f"{prefix}_IN_PROGRESS", f"The following resource(s) failed to {kind}: [{failed}]. ")
    if create:
        try:
            stack.resource_map.delete()
        except Exception:
            pass
    stack._add_stack_event(f"{prefix}_COMPLETE")
    stack.status = f"{prefix}_COMPLETE"
    change_set.execution_status = "EXECUTE_FAILED"


parsing.parse_and_create_resource = create_with_events
models.CloudFormationBackend.execute_change_set = execute_with_rollback

if __name__ == "__main__":
    main()
