// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.listview_settings["Volunteer Register Entry"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Verify register"), () => {
			frappe.call("ciac_tutoring.third_sector.register.verify_register").then(({ message }) => {
				frappe.msgprint({
					title: __("Verify register"),
					message: message.message,
					indicator: message.intact ? "green" : "red",
				});
			});
		});
		listview.page.add_inner_button(__("Export CSV"), () => {
			window.open(
				"/api/method/ciac_tutoring.third_sector.register.download_register_csv",
				"_blank"
			);
		});
	},
};
