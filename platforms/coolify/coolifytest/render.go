package coolifytest

import (
	"slices"
	"strconv"
)

// appJSON renders an application as Coolify's removeSensitiveData leaves
// it for a token without read:sensitive: no id, no secrets, the fields the
// OpenAPI document lists with the types it gives, and the values the
// controller sets for a dockerimage application (build_pack dockerimage,
// git_repository coollabsio/coolify). withSettings adds the settings
// relation, which GET /applications/{uuid} loads and the list does not.
func (s *Server) appJSON(a *app, withSettings bool) map[string]any {
	out := map[string]any{
		"uuid": a.uuid, "name": a.name, "description": a.description, "fqdn": nil, "status": a.status,
		"config_hash": "", "git_repository": "coollabsio/coolify", "git_branch": "main", "git_commit_sha": "HEAD",
		"git_full_url": nil, "repository_project_id": nil,
		"docker_registry_image_name": a.imageName, "docker_registry_image_tag": a.imageTag,
		"build_pack": "dockerimage", "static_image": "nginx:alpine", "install_command": "", "build_command": "",
		"start_command": "", "ports_exposes": a.portsExposes, "ports_mappings": nil, "custom_network_aliases": nil,
		"base_directory": "/", "publish_directory": "", "health_check_enabled": false, "health_check_path": "/",
		"health_check_port": nil, "health_check_host": nil, "health_check_method": "GET",
		"health_check_return_code": 200, "health_check_scheme": "http", "health_check_response_text": nil,
		"health_check_interval": 5, "health_check_timeout": 5, "health_check_retries": 10,
		"health_check_start_period": 5, "health_check_type": "http", "health_check_command": nil,
		"limits_memory": a.limitsMemory, "limits_memory_swap": "0", "limits_memory_swappiness": 60,
		"limits_memory_reservation": "0", "limits_cpus": a.limitsCPUs, "limits_cpuset": nil,
		"limits_cpu_shares": 1024, "preview_url_template": "{{pr_id}}.{{domain}}", "max_restart_count": 10,
		"destination_type": "App\\Models\\StandaloneDocker", "destination_id": 1, "source_id": nil,
		"environment_id": 1, "dockerfile_location": "/Dockerfile", "docker_compose_location": "/docker-compose.yaml",
		"custom_healthcheck_found": false, "redirect": "both", "compose_parsing_version": "5",
		"is_http_basic_auth_enabled": false, "http_basic_auth_username": nil,
		"created_at": laravelTime(a.createdAt), "updated_at": laravelTime(a.updatedAt), "deleted_at": nil,
	}
	if withSettings {
		out["settings"] = map[string]any{
			"is_static": false, "is_git_submodules_enabled": true, "is_git_lfs_enabled": true,
			"is_auto_deploy_enabled": true, "is_force_https_enabled": true, "is_debug_enabled": false,
			"is_preview_deployments_enabled": false, "is_log_drain_enabled": false, "is_gpu_enabled": false,
			"gpu_driver": "nvidia", "gpu_count": nil, "gpu_device_ids": nil, "gpu_options": nil,
			"is_include_timestamps": false, "is_swarm_only_worker_nodes": true, "is_raw_compose_deployment_enabled": false,
			"is_build_server_enabled": false, "is_consistent_container_name_enabled": false, "is_gzip_enabled": true,
			"is_stripprefix_enabled": true, "connect_to_docker_network": false, "custom_internal_name": nil,
			"is_container_label_escape_enabled": true, "is_env_sorting_enabled": true, "docker_images_to_keep": 2,
			"stop_grace_period": nil,
		}
	}
	return out
}

// deploymentJSON renders a deployment as DeployController does; the logs
// only for a token with read:sensitive.
func (s *Server) deploymentJSON(d *deployment) map[string]any {
	out := map[string]any{
		"id": d.id, "application_id": strconv.Itoa(d.appID), "deployment_uuid": d.uuid, "pull_request_id": 0,
		"force_rebuild": false, "commit": "HEAD", "status": d.status, "is_webhook": false, "is_api": true,
		"restart_only": false, "server_id": 0, "application_name": d.appName, "server_name": s.serverName(d.server),
		"deployment_url": "/project/" + s.opts.ProjectUUID + "/deployment/" + d.uuid, "destination_id": "1",
		"only_this_server": false, "rollback": false, "docker_registry_image_tag": nil,
		"created_at": laravelTime(d.createdAt), "updated_at": laravelTime(d.updatedAt),
	}
	if s.opts.ReadSensitive {
		out["logs"] = logsJSON(d.logs)
	}
	return out
}

func (s *Server) serverName(uuid string) string {
	if sv := s.servers[uuid]; sv != nil {
		return sv.name
	}
	return uuid
}

// appsInOrder lists applications by id, as Coolify's query returns them.
func (s *Server) appsInOrder() []*app {
	out := make([]*app, 0, len(s.apps))
	for _, a := range s.apps {
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *app) int { return x.id - y.id })
	return out
}
