#!/usr/bin/python3
"""Writes the golden values of Myelin's residual blocks from PyTorch.

Run with Debian's torch (apt-get install python3-torch), from anywhere:

    /usr/bin/python3 tools/golden/make_golden_resnet.py

Writes myelin-core/src/test/resources/golden/resnet_block.json. The block is torchvision's
BasicBlock (written out here, torchvision is not needed) with its state-dict keys: conv1,
bn1, conv2, bn2 and, for the projection shortcut, downsample.0 (1x1 conv, stride) and
downsample.1 (BatchNorm2d). Seeded; tensors and tolerances follow make_golden.py's schema.

    "cases": [ {
        "name", "in": int, "planes": int, "stride": int,
        "state_keys": [str, ...]        module.state_dict() keys in torch's order
        "state": {key: tensor}          the initial state (parameters non-trivial)
        "steps": [ {"input", "output"} ]  training-mode forward passes in order
        "grad_step1": {"upstream", "grad_input", "grad": {param: tensor}}
                                        gradients of sum(output * upstream) at step 1
        "buffers": {key: tensor}        running statistics after the last step
        "eval": {"input", "output"}     eval mode after the steps
    }, ... ]
"""

import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import grads_of, header, int_tensor, tensor, write_json  # noqa: E402


class BasicBlock(nn.Module):
    """torchvision.models.resnet.BasicBlock, with the same attribute names."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


def state_tensor(t):
    return tensor(t) if t.dtype.is_floating_point else int_tensor(t)


def block_case(name, inplanes, planes, stride, shape, steps, seed):
    torch.manual_seed(seed)
    block = BasicBlock(inplanes, planes, stride)
    with torch.no_grad():
        for k, p in block.named_parameters():
            if k.endswith("bn1.weight") or k.endswith("bn2.weight") or k.endswith("1.weight"):
                p.copy_(1.0 + 0.3 * torch.randn(p.shape))
            elif p.dim() == 1:
                p.copy_(0.3 * torch.randn(p.shape))
    state = {k: state_tensor(v) for k, v in block.state_dict().items()}
    block.train()
    out_steps, grad_step1 = [], None
    for step in range(steps):
        x = (torch.randn(*shape) * 1.5 + 0.5).requires_grad_(True)
        y = block(x)
        if step == 0:
            upstream = torch.randn(*y.shape)
            names = [k for k, _ in block.named_parameters()]
            grads = grads_of(y, upstream, x, *[p for _, p in block.named_parameters()])
            grad_step1 = {"upstream": tensor(upstream), "grad_input": tensor(grads[0]),
                          "grad": {k: tensor(g) for k, g in zip(names, grads[1:])}}
        out_steps.append({"input": tensor(x), "output": tensor(y)})
    buffers = {k: state_tensor(b) for k, b in block.named_buffers()}
    block.eval()
    x_eval = torch.randn(*shape) * 1.5 + 0.5
    with torch.no_grad():
        y_eval = block(x_eval)
    return {"name": name, "in": inplanes, "planes": planes, "stride": stride,
            "state_keys": list(block.state_dict().keys()), "state": state, "steps": out_steps,
            "grad_step1": grad_step1, "buffers": buffers, "eval": {"input": tensor(x_eval), "output": tensor(y_eval)}}


def main():
    obj = header("torchvision-style BasicBlock: training steps, gradients of sum(output * upstream) at step 1, "
                 "running statistics after the steps, then eval mode.")
    obj["cases"] = [
        block_case("projection_stride2", 3, 4, 2, (4, 3, 6, 6), 2, seed=600),
        block_case("identity", 4, 4, 1, (3, 4, 5, 5), 2, seed=601),
    ]
    write_json("resnet_block.json", obj)


if __name__ == "__main__":
    main()
