package kubernetes

import (
	"fmt"
	"net/http"
	"sync"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// RESTConfig finds the cluster the way the original server did: in-cluster
// credentials when running in a pod (KUBERNETES_SERVICE_HOST is set), else
// the kubeconfig file at K8S_KUBECONFIG, else the standard kubeconfig
// loading rules ($KUBECONFIG, then ~/.kube/config).
func RESTConfig(getenv func(string) string) (*rest.Config, error) {
	cfg, err := loadRESTConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("kubernetes config: %w", err)
	}
	// client-go's default of 5 requests per second throttles a burst of
	// deploys (two calls each) long before the API server would.
	cfg.QPS, cfg.Burst = 20, 50
	return cfg, nil
}

func loadRESTConfig(getenv func(string) string) (*rest.Config, error) {
	if getenv("KUBERNETES_SERVICE_HOST") != "" {
		return rest.InClusterConfig()
	}
	if path := getenv("K8S_KUBECONFIG"); path != "" {
		return clientcmd.BuildConfigFromFlags("", path)
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	return clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{}).ClientConfig()
}

// Client makes the few API calls the platform needs: Jobs (batch/v1),
// and pods and Secrets (core/v1). It is built on client-go's REST client
// over a scheme of just those two groups, rather than on the generated
// clientset, whose packages register every API group of Kubernetes at
// init and add tens of megabytes to the binary whether the platform is
// used or not.
type Client struct {
	core, batch *rest.RESTClient
	params      runtime.ParameterCodec
}

// ClientFromEnv builds a Client for the cluster RESTConfig finds.
func ClientFromEnv(getenv func(string) string) (*Client, error) {
	cfg, err := RESTConfig(getenv)
	if err != nil {
		return nil, err
	}
	return NewClient(cfg)
}

// NewClient builds a Client from cfg. The two API groups share one HTTP
// client, so one connection pool and one set of credentials.
func NewClient(cfg *rest.Config) (*Client, error) {
	s := codecs()
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	c := &Client{params: s.params}
	if c.core, err = restClient(cfg, httpClient, s.codecs, "/api", corev1.SchemeGroupVersion); err != nil {
		return nil, err
	}
	if c.batch, err = restClient(cfg, httpClient, s.codecs, "/apis", batchv1.SchemeGroupVersion); err != nil {
		return nil, err
	}
	return c, nil
}

func restClient(cfg *rest.Config, h *http.Client, ns runtime.NegotiatedSerializer, path string, gv schema.GroupVersion) (*rest.RESTClient, error) {
	c := rest.CopyConfig(cfg)
	c.APIPath, c.GroupVersion, c.NegotiatedSerializer = path, &gv, ns
	if c.UserAgent == "" {
		c.UserAgent = rest.DefaultKubernetesUserAgent()
	}
	rc, err := rest.RESTClientForConfigAndClient(c, h)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client for %s: %w", gv, err)
	}
	return rc, nil
}

// serialization is how the Client encodes and decodes objects and query
// parameters.
type serialization struct {
	codecs runtime.NegotiatedSerializer
	params runtime.ParameterCodec
}

// codecs builds the scheme on first use, so a daemon without the k8s
// platform spends nothing on it. Only core/v1 (which also registers
// meta/v1's options and Status for the core group) and batch/v1 are
// registered; the objects never change version, so no conversion is
// needed.
var codecs = sync.OnceValue(func() serialization {
	s := runtime.NewScheme()
	metav1.AddToGroupVersion(s, schema.GroupVersion{Version: "v1"})
	if err := corev1.AddToScheme(s); err != nil {
		panic(err) // registering generated types cannot fail
	}
	if err := batchv1.AddToScheme(s); err != nil {
		panic(err)
	}
	return serialization{
		codecs: serializer.NewCodecFactory(s).WithoutConversion(),
		params: runtime.NewParameterCodec(s),
	}
})
