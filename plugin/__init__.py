"""The Flask extension and blueprint a school's MIS mounts to get the Privacy tab."""
