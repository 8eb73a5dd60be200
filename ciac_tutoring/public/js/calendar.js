// Calendars (ciac_tutoring/supervision/calendar.py): an .ics download on each training session and
// supervision meeting, and the staff's own feed of every session and meeting.
frappe.provide("ciac_tutoring.calendar");

ciac_tutoring.calendar.add_buttons = function (frm) {
	if (frm.is_new()) return;
	frm.add_custom_button(
		__("Download .ics"),
		() => {
			const query = new URLSearchParams({ doctype: frm.doctype, name: frm.doc.name });
			window.open(`/api/method/ciac_tutoring.supervision.calendar.event_ics?${query}`);
		},
		__("Calendar")
	);
	frm.add_custom_button(__("My Calendar Feed"), () => ciac_tutoring.calendar.show_staff_feed(), __("Calendar"));
};

ciac_tutoring.calendar.show_staff_feed = function (regenerate) {
	frappe
		.call({ method: "ciac_tutoring.supervision.calendar.get_staff_feed", args: { regenerate: regenerate ? 1 : 0 } })
		.then((r) => {
			const dialog = new frappe.ui.Dialog({
				title: __("My Calendar Feed"),
				fields: [
					{
						fieldtype: "HTML",
						options: `<p>${__(
							"Subscribe to this private address in your calendar application to see every training session and supervision meeting. Keep it to yourself."
						)}</p>`,
					},
					{ fieldtype: "Data", label: __("Calendar address"), fieldname: "url", read_only: 1, default: r.message },
				],
				primary_action_label: __("Make a New Address"),
				primary_action() {
					dialog.hide();
					ciac_tutoring.calendar.show_staff_feed(true);
				},
			});
			dialog.show();
		});
};

frappe.ui.form.on("Training Session", { refresh: ciac_tutoring.calendar.add_buttons });
