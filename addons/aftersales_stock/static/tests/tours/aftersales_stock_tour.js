/** @odoo-module **/
// Portal tours of the stock addon are registered here.
