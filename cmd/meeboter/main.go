// Command meeboter is the meeboter daemon, CLI and dashboard in one binary.
package main

import (
	"os"

	"github.com/meeboter/meeboter/cli"
)

func main() { os.Exit(int(cli.Main())) }
