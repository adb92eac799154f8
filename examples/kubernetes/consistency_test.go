package manifests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// TestManifests_Consistent checks what an API server accepts but a cluster
// would still not run: references to missing Secrets, keys or service
// accounts, selectors that miss the pods, a callback URL naming another
// namespace, and writable paths the read-only root filesystem lacks.
func TestManifests_Consistent(t *testing.T) {
	t.Parallel()
	for _, k := range kustomizations {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			s := decode(t, render(t, k.dir))
			if len(s.namespaces) != 1 || s.namespaces[0].Name != k.namespace {
				t.Fatalf("want the one namespace %s, got %d namespaces", k.namespace, len(s.namespaces))
			}
			if len(s.deployments) != 1 || len(s.jobs) != 1 || len(s.services) != 1 || len(s.pdbs) != 1 {
				t.Fatalf("want one Deployment, Job, Service and PodDisruptionBudget; got %d, %d, %d, %d",
					len(s.deployments), len(s.jobs), len(s.services), len(s.pdbs))
			}
			for _, err := range s.check(k.namespace) {
				t.Error(err)
			}
		})
	}
}

// check returns every inconsistency of a rendering into namespace ns.
func (s set) check(ns string) []error {
	d, job, svc, pdb := s.deployments[0], s.jobs[0], s.services[0], s.pdbs[0]
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, obj := range []metav1.Object{&d, &job, &svc, &pdb} {
		if obj.GetNamespace() != ns {
			fail("%s is in namespace %q, want %q", obj.GetName(), obj.GetNamespace(), ns)
		}
	}
	pods := labels.Set(d.Spec.Template.Labels)
	migrate := labels.Set(job.Spec.Template.Labels)
	if !labels.SelectorFromSet(svc.Spec.Selector).Matches(pods) {
		fail("Service selector %v misses the daemon pods %v", svc.Spec.Selector, pods)
	}
	if labels.SelectorFromSet(svc.Spec.Selector).Matches(migrate) {
		fail("Service selector %v also matches the migrate pods, which serve nothing", svc.Spec.Selector)
	}
	if sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector); err != nil || !sel.Matches(pods) || sel.Matches(migrate) {
		fail("PodDisruptionBudget selector %v must match the daemon pods only (err %v)", pdb.Spec.Selector, err)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 1 {
		fail("Deployment has no replicas")
	}
	errs = append(errs, s.checkPodSpec("Deployment "+d.Name, d.Spec.Template.Spec, true)...)
	errs = append(errs, s.checkPodSpec("Job "+job.Name, job.Spec.Template.Spec, false)...)
	daemon, migrator := d.Spec.Template.Spec.Containers[0], job.Spec.Template.Spec.Containers[0]
	if daemon.Image != migrator.Image {
		fail("the migrate Job runs %s but the daemon runs %s: they must be one version", migrator.Image, daemon.Image)
	}
	if want := fmt.Sprintf("http://%s.%s.svc:%d", svc.Name, ns, svc.Spec.Ports[0].Port); envValue(daemon, "MEEBOTER_PUBLIC_URL") != want {
		fail("MEEBOTER_PUBLIC_URL is %q; bots reach the daemon at %q", envValue(daemon, "MEEBOTER_PUBLIC_URL"), want)
	}
	if !hasPort(daemon, svc.Spec.Ports[0].TargetPort.String()) {
		fail("Service targetPort %s is not a port of the daemon container", svc.Spec.Ports[0].TargetPort.String())
	}
	return errs
}

// checkPodSpec checks one pod template: its service account and secret
// references resolve, and its containers are locked down with somewhere
// to write.
func (s set) checkPodSpec(what string, spec corev1.PodSpec, isDaemon bool) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(what+": "+format, args...)) }
	if !s.hasServiceAccount(spec.ServiceAccountName) {
		fail("service account %q is not in the manifests", spec.ServiceAccountName)
	}
	if isDaemon && !s.isBound(spec.ServiceAccountName) {
		fail("service account %q is bound to no Role, so the Kubernetes platform would be refused", spec.ServiceAccountName)
	}
	if !isDaemon && (spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken) {
		fail("mounts a service account token it never uses")
	}
	for _, c := range spec.Containers {
		errs = append(errs, s.checkContainer(what, c, spec.Volumes)...)
	}
	if isDaemon {
		c := spec.Containers[0]
		for _, name := range []string{"DATABASE_URL", "MEEBOTER_WEBHOOK_SECRET"} {
			if e := envVar(c, name); e == nil || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
				fail("%s must come from a Secret", name)
			}
		}
		for _, dir := range []string{envValue(c, "MEEBOTER_DATA_DIR"), "/tmp"} {
			if !mounted(c, dir) {
				fail("%q is written to but is not a volume, and the root filesystem is read-only", dir)
			}
		}
		if probePath(c.ReadinessProbe) != "/readyz" || probePath(c.LivenessProbe) != "/healthz" {
			fail("want readiness /readyz and liveness /healthz, got %q and %q", probePath(c.ReadinessProbe), probePath(c.LivenessProbe))
		}
	}
	return errs
}

func (s set) checkContainer(what string, c corev1.Container, volumes []corev1.Volume) []error {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(what+" container "+c.Name+": "+format, args...))
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			continue
		}
		if ref := e.ValueFrom.SecretKeyRef; !s.hasSecretKey(ref.Name, ref.Key) {
			fail("%s reads key %q of Secret %q, which the manifests do not define", e.Name, ref.Key, ref.Name)
		}
	}
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		fail("root filesystem is writable")
	}
	if sc == nil || sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		fail("does not drop all capabilities")
	}
	if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
		fail("needs CPU and memory requests and a memory limit")
	}
	for _, m := range c.VolumeMounts {
		if !slices.ContainsFunc(volumes, func(v corev1.Volume) bool { return v.Name == m.Name }) {
			fail("mounts volume %q, which the pod does not define", m.Name)
		}
	}
	return errs
}

func (s set) hasServiceAccount(name string) bool {
	return slices.ContainsFunc(s.serviceAccounts, func(sa corev1.ServiceAccount) bool { return sa.Name == name })
}

// isBound reports whether a RoleBinding in the set names the service
// account in its own namespace.
func (s set) isBound(name string) bool {
	for _, rb := range s.roleBindings {
		for _, sub := range rb.Subjects {
			if sub.Kind == "ServiceAccount" && sub.Name == name && sub.Namespace == rb.Namespace {
				return true
			}
		}
	}
	return false
}

func (s set) hasSecretKey(name, key string) bool {
	for _, sec := range s.secrets {
		if sec.Name != name {
			continue
		}
		_, inString := sec.StringData[key]
		_, inData := sec.Data[key]
		return inString || inData
	}
	return false
}

func envVar(c corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

func envValue(c corev1.Container, name string) string {
	if e := envVar(c, name); e != nil {
		return e.Value
	}
	return ""
}

func mounted(c corev1.Container, dir string) bool {
	return dir != "" && slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.MountPath == dir })
}

func hasPort(c corev1.Container, port string) bool {
	return slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool {
		return p.Name == port || fmt.Sprint(p.ContainerPort) == port
	})
}

func probePath(p *corev1.Probe) string {
	if p == nil || p.HTTPGet == nil {
		return ""
	}
	return p.HTTPGet.Path
}

// TestManifests_ConsistencyCatches shows each kind of check can fail, on
// broken copies of the base.
func TestManifests_ConsistencyCatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		breakIt func(s *set)
		want    string
	}{
		{"PublicURLNamespace", func(s *set) {
			envVar(s.deployments[0].Spec.Template.Spec.Containers[0], "MEEBOTER_PUBLIC_URL").Value = "http://meeboter.other.svc:3000"
		}, "bots reach the daemon at"},
		{"MissingSecretKey", func(s *set) {
			envVar(s.jobs[0].Spec.Template.Spec.Containers[0], "DATABASE_URL").ValueFrom.SecretKeyRef.Key = "DB_URL"
		}, `reads key "DB_URL"`},
		{"NoTmpVolume", func(s *set) {
			c := &s.deployments[0].Spec.Template.Spec.Containers[0]
			c.VolumeMounts = slices.DeleteFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.MountPath == "/tmp" })
		}, `"/tmp" is written to`},
		{"ServiceMatchesMigrate", func(s *set) {
			s.services[0].Spec.Selector = map[string]string{"app.kubernetes.io/name": "meeboter"}
		}, "also matches the migrate pods"},
		{"UnboundServiceAccount", func(s *set) { s.roleBindings = nil }, "is bound to no Role"},
		{"ImageSkew", func(s *set) {
			s.jobs[0].Spec.Template.Spec.Containers[0].Image = "ghcr.io/meeboter/meeboter:0.9.0"
		}, "must be one version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := decode(t, render(t, "base"))
			tt.breakIt(&s)
			errs := s.check("meeboter")
			if !slices.ContainsFunc(errs, func(err error) bool { return strings.Contains(err.Error(), tt.want) }) {
				t.Fatalf("errors %v, want one containing %q", errs, tt.want)
			}
		})
	}
}
