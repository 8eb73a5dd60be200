"""The tutors' portal, by area: what the www/ pages show and the API methods they share.

- guard: who the tutor is (found once per request) and the `tutor_only` decorator every method wears;
- my_tutoring, contacts, training, availability (the public become-a-tutor form), personal_data;
- pages (what every page sets first, refusals on the page) and http (origin check, rate limit,
  client address, language cookie);
- renderer: how Frappe serves the tutor's pages (its TemplatePage, keeping a Website User's website
  context, and the portal's paths resolved without the route map; hooks `page_renderer` and
  `website_path_resolver`).

Tutors have no DocPerm on the programme's DocTypes (docs/permissions.md): the methods here check who
is asking and that the rows are theirs, read only the fields a tutor may see, and write with
`ignore_permissions`. Every rule on the values written belongs to the DocTypes' controllers.
"""
