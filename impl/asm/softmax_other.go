//go:build purego || !(amd64 || arm64)

package asm

import "github.com/focalkernels/focal/impl/internal/model"

func softmaxLanes32(Level) model.SoftmaxLanes32 { return model.GenericSoftmax32 }

func softmaxLanes64(Level) model.SoftmaxLanes64 { return model.GenericSoftmax64 }

// softmaxWidth is the model's width: there are no softmax lanes here.
func softmaxWidth(Level) int { return 8 }
