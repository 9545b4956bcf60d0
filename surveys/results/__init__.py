"""A survey's answers for the plan's admins: added up per question on the results page, one
row per response in the CSV download."""
