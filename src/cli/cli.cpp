namespace hipaa::cli {}
