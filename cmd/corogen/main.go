package main

import (
	"fmt"
	"os"

	"github.com/corogen/corogen/transform"
)

func main() {
	pkgs, err := transform.Generate(transform.Config{Tests: true}, os.Args[1:]...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			fmt.Fprintln(os.Stderr, e)
		}
		for _, f := range p.Files {
			os.WriteFile(f.Path, f.Content, 0o644)
			fmt.Println("wrote", f.Path)
		}
	}
}
