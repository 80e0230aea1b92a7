from odoo import api, models

# key of a record's values holding the context its ``object`` is rendered with
OBJECT_CONTEXT = "credit_object_context"


class _PerRecordVariables(dict):
    """Rendering variables that follow the record being rendered.

    Odoo's renderers (``_render_template_qweb``, ``_render_template_inline_template``) build the
    variables once per call, then set ``variables["object"] = record`` before rendering each
    record. Setting ``object`` here also lays that record's own values over the shared ones, so
    that one call renders many records, each with its own values (the dunning engine's
    ``credit_action``, ``credit_invoices``, ...).
    """

    def __init__(self, values, per_record):
        super().__init__(values)
        self._per_record = per_record
        self._shared = None  # the variables before the first record, once the renderer set them all
        self._applied = set()

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if key != "object" or not isinstance(value, models.BaseModel) or len(value) != 1:
            return
        if self._shared is None:
            self._shared = {name: val for name, val in self.items() if name != "object"}
        for name in self._applied:  # undo the previous record's values
            if name in self._shared:
                super().__setitem__(name, self._shared[name])
            else:
                self.pop(name, None)
        own = dict(self._per_record.get(value.id, {}))
        object_context = own.pop(OBJECT_CONTEXT, None)
        if object_context:
            # the templates' helpers on the record (``object._credit_overdue_invoices()``...) read
            # the action's invoices and late fees from the record's context
            super().__setitem__("object", value.with_context(**object_context))
        self.update(own)
        self._applied = set(own)



class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_eval_context(self):
        """With the context key ``credit_render_values`` (``{res_id: {name: value}}``), each record
        is rendered with its own values besides the shared ones (see :class:`_PerRecordVariables`),
        for e-mail and SMS templates alike."""
        values = super()._render_eval_context()
        per_record = self.env.context.get("credit_render_values")
        return _PerRecordVariables(values, per_record) if per_record else values
