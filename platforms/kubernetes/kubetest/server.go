package kubetest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Server is a running etcd and kube-apiserver on loopback ports.
type Server struct {
	// URL is the API server's https address.
	URL string
	// AdminToken authenticates as a member of system:masters.
	AdminToken string
	// UserToken authenticates as the user User, who has no permissions
	// until a RoleBinding grants some: for testing RBAC manifests.
	UserToken string

	dir       string
	etcd, api *process
}

// User is the name UserToken authenticates as.
const User = "meeboter"

// startTimeout bounds how long the API server may take to become ready; it
// usually takes under ten seconds, more on a loaded two-core machine.
const startTimeout = 90 * time.Second

// Start runs etcd and kube-apiserver from BinDir with their data in dir,
// and returns once the API server is ready. The caller must Stop it.
func Start(dir string) (*Server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, AdminToken: randomToken(), UserToken: randomToken()}
	s.URL = "https://127.0.0.1:" + strconv.Itoa(ports[2])
	if s.etcd, err = startEtcd(dir, bin, ports[0], ports[1]); err != nil {
		return nil, err
	}
	if err := s.startAPIServer(bin, ports[0], ports[2]); err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.waitReady(); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func startEtcd(dir, bin string, clientPort, peerPort int) (*process, error) {
	client := "http://127.0.0.1:" + strconv.Itoa(clientPort)
	peer := "http://127.0.0.1:" + strconv.Itoa(peerPort)
	return startProcess(dir, filepath.Join(bin, "etcd"),
		"--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "default="+peer,
		"--unsafe-no-fsync", // throwaway data: durability only slows tests
	)
}

func (s *Server) startAPIServer(bin string, etcdPort, port int) error {
	key := filepath.Join(s.dir, "sa.key")
	tokens := filepath.Join(s.dir, "tokens.csv")
	if err := writeServiceAccountKey(key); err != nil {
		return err
	}
	csv := fmt.Sprintf("%s,admin,admin,system:masters\n%s,%s,%s\n", s.AdminToken, s.UserToken, User, User)
	if err := os.WriteFile(tokens, []byte(csv), 0o600); err != nil {
		return err
	}
	var err error
	s.api, err = startProcess(s.dir, filepath.Join(bin, "kube-apiserver"),
		"--etcd-servers=http://127.0.0.1:"+strconv.Itoa(etcdPort),
		"--service-account-key-file="+key, "--service-account-signing-key-file="+key,
		"--service-account-issuer=https://kubernetes.default.svc",
		"--cert-dir="+filepath.Join(s.dir, "certs"),
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(port),
		// The default reconciler refuses a loopback advertise address.
		"--endpoint-reconciler-type=none",
		"--authorization-mode=RBAC", "--token-auth-file="+tokens,
		"--service-cluster-ip-range=10.96.0.0/24",
	)
	return err
}

// waitReady polls /readyz until the API server answers ok, including its
// RBAC bootstrap, or a process has died, or startTimeout passed.
func (s *Server) waitReady() error {
	cs, err := kubernetes.NewForConfig(s.RESTConfig(s.AdminToken))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		body, err := cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil && string(body) == "ok" {
			return nil
		}
		for _, p := range []*process{s.etcd, s.api} {
			if p.exited() {
				return fmt.Errorf("%s exited during start\n%s", p.name, p.tail())
			}
		}
		select {
		case <-ctx.Done():
			return errors.Join(fmt.Errorf("kube-apiserver not ready after %v: %w", startTimeout, err), errors.New(s.api.tail()))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// RESTConfig returns a client config with the given bearer token. TLS is
// not verified: the server's certificate is self-signed at start and
// exists only for this test run.
func (s *Server) RESTConfig(token string) *rest.Config {
	return &rest.Config{
		Host:            s.URL,
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{Insecure: true},
		QPS:             100,
		Burst:           200,
	}
}

// Client returns a clientset authenticated with token.
func (s *Server) Client(token string) (kubernetes.Interface, error) {
	return kubernetes.NewForConfig(s.RESTConfig(token))
}

// Stop ends kube-apiserver, then etcd. It is safe to call twice.
func (s *Server) Stop() {
	s.api.stop()
	s.etcd.stop()
}

func writeServiceAccountKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	return os.WriteFile(path, pem.EncodeToMemory(block), 0o600)
}

func randomToken() string { return rand.Text() }
