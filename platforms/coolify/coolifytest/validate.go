package coolifytest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
)

// Fields the controllers accept (ApplicationsController: create_application
// and update_by_uuid's $allowedFields, plus APPLICATION_SETTING_FIELDS).
// Any other field is refused with 422 "This field is not allowed."
var (
	settingFields = fields(`is_git_submodules_enabled is_git_lfs_enabled is_git_shallow_clone_enabled disable_build_cache
		inject_build_args_to_dockerfile include_source_commit_in_build is_env_sorting_enabled is_pr_deployments_public_enabled
		stop_grace_period docker_images_to_keep is_gzip_enabled is_stripprefix_enabled is_raw_compose_deployment_enabled
		is_log_drain_enabled is_gpu_enabled gpu_driver gpu_count gpu_device_ids gpu_options is_consistent_container_name_enabled
		custom_internal_name`)
	createFields = fields(`project_uuid environment_name environment_uuid server_uuid destination_uuid type name description
		is_static is_spa is_auto_deploy_enabled is_force_https_enabled is_preview_deployments_enabled domains noindex_domains
		git_repository git_branch git_commit_sha private_key_uuid docker_registry_image_name docker_registry_image_tag build_pack
		install_command build_command start_command ports_exposes ports_mappings custom_network_aliases base_directory
		publish_directory health_check_enabled health_check_type health_check_command health_check_path health_check_port
		health_check_host health_check_method health_check_return_code health_check_scheme health_check_response_text
		health_check_interval health_check_timeout health_check_retries health_check_start_period limits_memory
		limits_memory_swap limits_memory_swappiness limits_memory_reservation limits_cpus limits_cpuset limits_cpu_shares
		custom_labels custom_docker_run_options post_deployment_command post_deployment_command_container
		pre_deployment_command pre_deployment_command_container manual_webhook_secret_github manual_webhook_secret_gitlab
		manual_webhook_secret_bitbucket manual_webhook_secret_gitea redirect github_app_uuid instant_deploy dockerfile
		dockerfile_location docker_compose_location docker_compose_raw docker_compose_custom_start_command
		docker_compose_custom_build_command docker_compose_domains watch_paths use_build_server use_build_secrets static_image
		custom_nginx_configuration is_http_basic_auth_enabled http_basic_auth_username http_basic_auth_password
		connect_to_docker_network force_domain_override autogenerate_domain is_container_label_escape_enabled tags
		is_preserve_repository_enabled preview_url_template max_restart_count`, settingFields)
	updateFields = fields(`name description is_static is_spa is_auto_deploy_enabled is_force_https_enabled
		is_preview_deployments_enabled domains noindex_domains git_repository git_branch git_commit_sha
		docker_registry_image_name docker_registry_image_tag build_pack static_image install_command build_command
		start_command ports_exposes ports_mappings custom_network_aliases base_directory publish_directory
		health_check_enabled health_check_type health_check_command health_check_path health_check_port health_check_host
		health_check_method health_check_return_code health_check_scheme health_check_response_text health_check_interval
		health_check_timeout health_check_retries health_check_start_period limits_memory limits_memory_swap
		limits_memory_swappiness limits_memory_reservation limits_cpus limits_cpuset limits_cpu_shares custom_labels
		custom_docker_run_options post_deployment_command post_deployment_command_container pre_deployment_command
		pre_deployment_command_container watch_paths manual_webhook_secret_github manual_webhook_secret_gitlab
		manual_webhook_secret_bitbucket manual_webhook_secret_gitea dockerfile_location dockerfile_target_build
		docker_compose_location docker_compose_custom_start_command docker_compose_custom_build_command docker_compose_domains
		redirect instant_deploy use_build_server use_build_secrets custom_nginx_configuration is_http_basic_auth_enabled
		http_basic_auth_username http_basic_auth_password connect_to_docker_network force_domain_override
		is_container_label_escape_enabled is_preserve_repository_enabled preview_url_template max_restart_count`, settingFields)
)

func fields(list string, more ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Fields(list) {
		out[f] = true
	}
	for _, m := range more {
		for f := range m {
			out[f] = true
		}
	}
	return out
}

// Coolify's patterns (app/Support/ValidationPatterns.php), with the image
// name's 1-255 length lookahead checked apart.
var (
	imageNameRe = regexp.MustCompile(`^(?:(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]+)?/)?` +
		`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?:@sha256)?$`)
	imageTagRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	portsRe    = regexp.MustCompile(`^(\d+)(,\d+)*$`)
	envKeyRe   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)
)

// body is a request's JSON object, field by field.
type body map[string]json.RawMessage

// readBody plays validateIncomingRequest (bootstrap/helpers/api.php): the
// body must be JSON, valid, and not empty; each failure is a 400.
func readBody(w http.ResponseWriter, r *http.Request) (body, bool) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasSuffix(ct, "/json") && !strings.HasSuffix(ct, "+json") {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid request.", "error": "Content-Type must be application/json."})
		return nil, false
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var b body
	if err != nil || json.Unmarshal(raw, &b) != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid request.", "error": "Invalid JSON."})
		return nil, false
	}
	if len(b) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid request.", "error": "Empty JSON."})
		return nil, false
	}
	return b, true
}

// problems collects Laravel validator messages by field.
type problems map[string][]string

func (p problems) add(field, msg string) { p[field] = append(p[field], msg) }

// attr is how Laravel names a field in its messages.
func attr(field string) string { return strings.ReplaceAll(field, "_", " ") }

// reply sends the 422 when there is anything to say.
func (p problems) reply(w http.ResponseWriter) bool {
	if len(p) == 0 {
		return false
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Validation failed.", "errors": p})
	return true
}

// notAllowed flags every field outside allowed.
func (p problems) notAllowed(b body, allowed map[string]bool) {
	for f := range b {
		if !allowed[f] {
			p.add(f, "This field is not allowed.")
		}
	}
}

// str reads an optional string field; a present non-string is a problem.
func (p problems) str(b body, field string, required bool) (string, bool) {
	raw, ok := b[field]
	if !ok || string(raw) == "null" {
		if required {
			p.add(field, "The "+attr(field)+" field is required.")
		}
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		p.add(field, "The "+attr(field)+" field must be a string.")
		return "", false
	}
	return s, true
}

// boolean reads an optional boolean field.
func (p problems) boolean(b body, field string) bool {
	raw, ok := b[field]
	if !ok {
		return false
	}
	var v bool
	if json.Unmarshal(raw, &v) != nil {
		p.add(field, "The "+attr(field)+" field must be true or false.")
	}
	return v
}

// match checks a present string against a pattern.
func (p problems) match(field, v string, re *regexp.Regexp) {
	if !re.MatchString(v) {
		p.add(field, "The "+attr(field)+" field format is invalid.")
	}
}
