#!/usr/bin/python3
"""Writes the golden values of Myelin's optimizers, schedules and gradient clipping from PyTorch.

    /usr/bin/python3 tools/golden/make_golden_optim.py

Output: myelin-core/src/test/resources/golden/optim_*.json. Tensors and the common header
("torch_version", "description", "tolerance") follow the schema at the top of make_golden.py.

optim_optimizers.json   five steps of each torch.optim class and variant
    "cases": [ {"name", "optimizer": torch.optim class name, "options": every constructor option,
                "param_init" [3,4], "grads": [5 tensors], "params": [5 tensors]} ]
    NAdam: torch 1.13's single-tensor NAdam multiplies mu_t into the next momentum product twice;
    PyTorch 2.0 fixed this (pytorch/pytorch#92699). The NAdam cases run 1.13's function with that
    one-line fix applied (see fixed_nadam below), which is the update Myelin implements.

optim_param_groups.json   two parameter groups with different hyperparameters
    "cases": [ {"name", "optimizer", "groups": [ {"options": the group's full options,
                "param_init", "grads": [5], "params": [5]} ]} ]   (one parameter per group)

optim_schedules.json   learning rate of each schedule over 100 steps
    "base_lr": the optimizer's lr, "steps": 100,
    "cases": [ {"name", "torch": how torch computes it, "options": Myelin's options, "lrs": [100 floats]} ]
    lrs[t] is the lr used by step t (0-based): read before the t-th scheduler.step().

optim_plateau.json   ReduceLROnPlateau on a scripted metric sequence
    "cases": [ {"name", "options": every constructor option, "base_lr", "metrics": [floats],
                "lrs": [floats]} ]   lrs[k] is the lr after scheduler.step(metrics[k]).

optim_clipping.json   torch.nn.utils.clip_grad_norm_ / clip_grad_value_
    "cases": [ {"name", "mode": "norm" | "value", "max_norm" | "clip_value", "norm_type" (norm; "inf" for ∞),
                "per_parameter": bool (norm: each gradient clipped alone, one call per tensor),
                "grads": [tensors], "clipped": [tensors], "total_norm": float (norm, global only)} ]
    "lecture_value" and "lecture_norm" are the lecture's [0.9, 100] examples.
"""

import math
import os
import sys

import torch
import torch.optim.nadam as nadam_module

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import header, tensor, write_json  # noqa: E402

REPLAY = ("Five steps from param_init, with p.grad set to grads[k] before step k; params[k] is the "
          "parameter after that step.")


# ---------------------------------------------------------------- optimizers

def fixed_nadam(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *, beta1, beta2, lr,
                weight_decay, momentum_decay, eps):
    """torch 1.13's _single_tensor_nadam with PyTorch 2.0's fix: mu_product_next = mu_product * mu_next."""
    for i, param in enumerate(params):
        grad = grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        mu_product = mu_products[i]
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        mu_product_next = mu_product.item() * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next))


def replay(param, opt, steps, shape):
    grads = [torch.randn(*shape) for _ in range(steps)]
    params = []
    for g in grads:
        param.grad = g.clone()
        opt.step()
        params.append(tensor(param))
    return grads, params


def options_json(options):
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()}


def optimizer_case(name, cls, options, seed, shape=(3, 4), steps=5):
    torch.manual_seed(seed)
    p = torch.nn.Parameter(torch.randn(*shape))
    param_init = tensor(p)
    grads, params = replay(p, cls([p], **options), steps, shape)
    return {"name": name, "optimizer": cls.__name__, "options": options_json(options),
            "param_init": param_init, "grads": [tensor(g) for g in grads], "params": params}


def with_defaults(cls, opts):
    defaults = {
        torch.optim.SGD: {"lr": 0.1, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False},
        torch.optim.Adagrad: {"lr": 0.1, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0,
                              "eps": 1e-10},
        torch.optim.Adadelta: {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0},
        torch.optim.RMSprop: {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0,
                              "centered": False},
        torch.optim.Adam: {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False},
        torch.optim.AdamW: {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01, "amsgrad": False},
        torch.optim.NAdam: {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                            "momentum_decay": 4e-3},
    }[cls]
    return dict(defaults, **opts)


OPTIMIZER_CASES = [
    ("sgd_plain", torch.optim.SGD, {}),
    ("sgd_weight_decay", torch.optim.SGD, {"weight_decay": 0.1}),
    ("adagrad", torch.optim.Adagrad, {}),
    ("adagrad_decay_accumulator_weight_decay", torch.optim.Adagrad,
     {"lr_decay": 0.1, "initial_accumulator_value": 0.5, "weight_decay": 0.05}),
    ("adadelta", torch.optim.Adadelta, {}),
    ("adadelta_rho_weight_decay", torch.optim.Adadelta, {"rho": 0.8, "eps": 1e-4, "weight_decay": 0.1}),
    ("rmsprop", torch.optim.RMSprop, {}),
    ("rmsprop_momentum", torch.optim.RMSprop, {"momentum": 0.9}),
    ("rmsprop_centered", torch.optim.RMSprop, {"centered": True}),
    ("rmsprop_centered_momentum_weight_decay", torch.optim.RMSprop,
     {"centered": True, "momentum": 0.5, "weight_decay": 0.1, "alpha": 0.9}),
    ("adam_amsgrad", torch.optim.Adam, {"amsgrad": True}),
    ("adam_amsgrad_weight_decay", torch.optim.Adam, {"amsgrad": True, "weight_decay": 0.1}),
    ("adamw_default_decay", torch.optim.AdamW, {}),
    ("adamw_no_decay", torch.optim.AdamW, {"weight_decay": 0.0}),
    ("adamw_amsgrad_decay", torch.optim.AdamW, {"amsgrad": True, "weight_decay": 0.5, "betas": (0.8, 0.99)}),
    ("nadam", torch.optim.NAdam, {}),
    ("nadam_weight_decay_momentum_decay", torch.optim.NAdam, {"weight_decay": 0.1, "momentum_decay": 0.05}),
]


def optimizers():
    nadam_module._single_tensor_nadam = fixed_nadam
    cases = []
    for seed, (name, cls, opts) in enumerate(OPTIMIZER_CASES, start=100):
        kwargs = with_defaults(cls, opts)
        if cls is torch.optim.NAdam:
            kwargs["foreach"] = False
        case = optimizer_case(name, cls, kwargs, seed)
        case["options"].pop("foreach", None)
        cases.append(case)
    obj = header("torch.optim SGD, Adagrad, Adadelta, RMSprop, Adam (AMSGrad), AdamW, NAdam (with "
                 "PyTorch 2.0's NAdam fix). " + REPLAY)
    obj["cases"] = cases
    write_json("optim_optimizers.json", obj)


def param_groups_case(name, cls, groups, seed, shape=(2, 3), steps=5):
    torch.manual_seed(seed)
    params = [torch.nn.Parameter(torch.randn(*shape)) for _ in groups]
    inits = [tensor(p) for p in params]
    opt = cls([dict({"params": [p]}, **g) for p, g in zip(params, groups)])
    grads = [[torch.randn(*shape) for _ in groups] for _ in range(steps)]
    after = [[] for _ in groups]
    for gs in grads:
        for p, g in zip(params, gs):
            p.grad = g.clone()
        opt.step()
        for i, p in enumerate(params):
            after[i].append(tensor(p))
    out = []
    for i, g in enumerate(opt.param_groups):
        options = {k: v for k, v in g.items() if k in groups[i]}
        out.append({"options": options_json(options), "param_init": inits[i],
                    "grads": [tensor(gs[i]) for gs in grads], "params": after[i]})
    return {"name": name, "optimizer": cls.__name__, "groups": out}


def param_groups():
    sgd = with_defaults(torch.optim.SGD, {"momentum": 0.9})
    adam = with_defaults(torch.optim.Adam, {})
    adamw = with_defaults(torch.optim.AdamW, {})
    obj = header("Two parameter groups (one parameter each) with their own lr and weight decay. " + REPLAY)
    obj["cases"] = [
        param_groups_case("sgd_momentum", torch.optim.SGD,
                          [sgd, dict(sgd, lr=0.01, weight_decay=0.1)], seed=200),
        param_groups_case("adam", torch.optim.Adam,
                          [adam, dict(adam, lr=0.001, weight_decay=0.1, amsgrad=True)], seed=201),
        param_groups_case("adamw_fine_tuning", torch.optim.AdamW,
                          [dict(adamw, lr=1e-4, weight_decay=0.0), dict(adamw, lr=1e-2, weight_decay=0.05)], seed=202),
    ]
    write_json("optim_param_groups.json", obj)


# ---------------------------------------------------------------- schedules

BASE_LR = 0.1
STEPS = 100


def lr_trace(make):
    """The lr of steps 0..STEPS-1 under the scheduler built by make(optimizer)."""
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=BASE_LR, momentum=0.9)
    sched = make(opt)
    lrs = []
    for _ in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def lambda_lr(fn):
    return lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, fn)


def warmup_then(steps, start, after):
    def make(opt):
        warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=start, end_factor=1.0, total_iters=steps)
        return torch.optim.lr_scheduler.SequentialLR(opt, [warm, after(opt)], milestones=[steps])
    return make


def schedules():
    lr = torch.optim.lr_scheduler
    cases = [
        ("power", "LambdaLR(1 / (1 + t/s)^c)", {"name": "power", "s": 10, "c": 1.0},
         lambda_lr(lambda t: 1 / (1 + t / 10) ** 1.0)),
        ("power_c_half", "LambdaLR(1 / (1 + t/s)^c)", {"name": "power", "s": 5, "c": 0.5},
         lambda_lr(lambda t: 1 / (1 + t / 5) ** 0.5)),
        ("exponential", "ExponentialLR(gamma = 0.1^(1/s))", {"name": "exponential", "s": 40},
         lambda opt: lr.ExponentialLR(opt, gamma=0.1 ** (1 / 40))),
        ("step", "StepLR(step_size, gamma)", {"name": "step", "step_size": 30, "gamma": 0.1},
         lambda opt: lr.StepLR(opt, step_size=30, gamma=0.1)),
        ("inverse_time", "LambdaLR(1 / (1 + rate * t / decay_steps))",
         {"name": "inverse_time", "decay_rate": 0.5, "decay_steps": 10, "staircase": False},
         lambda_lr(lambda t: 1 / (1 + 0.5 * t / 10))),
        ("inverse_time_staircase", "LambdaLR(1 / (1 + rate * floor(t / decay_steps)))",
         {"name": "inverse_time", "decay_rate": 0.5, "decay_steps": 10, "staircase": True},
         lambda_lr(lambda t: 1 / (1 + 0.5 * math.floor(t / 10)))),
        ("linear", "LinearLR(start_factor, end_factor, total_iters)",
         {"name": "linear", "start_factor": 1.0, "end_factor": 0.05, "total_iters": 80},
         lambda opt: lr.LinearLR(opt, start_factor=1.0, end_factor=0.05, total_iters=80)),
        ("cosine", "CosineAnnealingLR(T_max, eta_min)", {"name": "cosine", "t_max": 40, "eta_min": 0.001},
         lambda opt: lr.CosineAnnealingLR(opt, T_max=40, eta_min=0.001)),
        ("cyclic", "CyclicLR(base_lr = lr, max_lr, step_size_up, step_size_down, triangular, cycle_momentum=False)",
         {"name": "cyclic", "max_lr": 0.5, "step_size_up": 10, "step_size_down": 15},
         lambda opt: lr.CyclicLR(opt, base_lr=BASE_LR, max_lr=0.5, step_size_up=10, step_size_down=15,
                                 mode="triangular", cycle_momentum=False)),
        ("warmup_cosine", "SequentialLR([LinearLR(start_factor, 1.0, warmup), CosineAnnealingLR(T_max)], [warmup])",
         {"name": "cosine", "t_max": 90, "eta_min": 0.0, "warmup": {"steps": 10, "start_factor": 0.1}},
         warmup_then(10, 0.1, lambda opt: lr.CosineAnnealingLR(opt, T_max=90))),
        ("warmup_step", "SequentialLR([LinearLR(start_factor, 1.0, warmup), StepLR(step_size, gamma)], [warmup])",
         {"name": "step", "step_size": 20, "gamma": 0.5, "warmup": {"steps": 5, "start_factor": 0.2}},
         warmup_then(5, 0.2, lambda opt: lr.StepLR(opt, step_size=20, gamma=0.5))),
        ("multistep", "MultiStepLR(milestones, gamma)", {"name": "multistep", "milestones": [30, 60, 85], "gamma": 0.2},
         lambda opt: lr.MultiStepLR(opt, milestones=[30, 60, 85], gamma=0.2)),
        ("onecycle", "OneCycleLR(max_lr, total_steps, cycle_momentum=False)",
         {"name": "onecycle", "total_steps": 100, "max_lr": 0.5, "pct_start": 0.3, "anneal": "cos",
          "div_factor": 25.0, "final_div_factor": 1e4, "three_phase": False},
         lambda opt: lr.OneCycleLR(opt, max_lr=0.5, total_steps=100, cycle_momentum=False)),
        ("onecycle_linear_three_phase", "OneCycleLR(..., anneal_strategy='linear', three_phase=True)",
         {"name": "onecycle", "total_steps": 100, "max_lr": 0.4, "pct_start": 0.25, "anneal": "linear",
          "div_factor": 10.0, "final_div_factor": 100.0, "three_phase": True},
         lambda opt: lr.OneCycleLR(opt, max_lr=0.4, total_steps=100, pct_start=0.25, anneal_strategy="linear",
                                   div_factor=10.0, final_div_factor=100.0, three_phase=True, cycle_momentum=False)),
        ("chained_linear_exponential", "ChainedScheduler([LinearLR(0.1, 1.0, 10), ExponentialLR(0.1^(1/40))])",
         {"name": "chained", "schedules": [{"name": "linear", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 10},
                                           {"name": "exponential", "s": 40}]},
         lambda opt: lr.ChainedScheduler([lr.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=10),
                                          lr.ExponentialLR(opt, gamma=0.1 ** (1 / 40))])),
        ("chained_multistep_step", "ChainedScheduler([MultiStepLR([20, 50], 0.5), StepLR(30, 0.1)])",
         {"name": "chained", "schedules": [{"name": "multistep", "milestones": [20, 50], "gamma": 0.5},
                                           {"name": "step", "step_size": 30, "gamma": 0.1}]},
         lambda opt: lr.ChainedScheduler([lr.MultiStepLR(opt, milestones=[20, 50], gamma=0.5),
                                          lr.StepLR(opt, step_size=30, gamma=0.1)])),
    ]
    obj = header("Learning rate of each schedule for steps 0..99 with base lr 0.1 (the lr each step uses). "
                 "torch's recursive forms (ExponentialLR, CosineAnnealingLR, LinearLR) round differently from "
                 "Myelin's closed forms, within the tolerance.", {"atol": 1e-7, "rtol": 1e-5})
    obj["base_lr"] = BASE_LR
    obj["steps"] = STEPS
    obj["cases"] = [{"name": n, "torch": t, "options": o, "lrs": lr_trace(make)} for n, t, o, make in cases]
    write_json("optim_schedules.json", obj)


def plateau_case(name, options, metrics, base_lr=1.0):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
    lrs = []
    for m in metrics:
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    return {"name": name, "options": options, "base_lr": base_lr, "metrics": metrics, "lrs": lrs}


def plateau():
    loss = [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7, 0.7, 0.7, 0.7, 0.7, 0.65, 0.66, 0.67, 0.68, 0.69,
            0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
    acc = [0.5, 0.6, 0.62, 0.625, 0.63, 0.631, 0.6312, 0.7, 0.7, 0.69, 0.71, 0.705, 0.71, 0.712, 0.8, 0.8,
           0.8, 0.8, 0.8, 0.8]

    def opts(**kw):
        return dict({"mode": "min", "factor": 0.1, "patience": 10, "threshold": 1e-4, "threshold_mode": "rel",
                     "cooldown": 0, "min_lr": 0.0, "eps": 1e-8}, **kw)
    obj = header("torch.optim.lr_scheduler.ReduceLROnPlateau on scripted metrics; lrs[k] is the lr after "
                 "step(metrics[k]).", {"atol": 1e-9, "rtol": 1e-6})
    obj["cases"] = [
        plateau_case("min_rel_patience2", opts(patience=2, factor=0.5), loss),
        plateau_case("min_rel_cooldown_min_lr", opts(patience=1, factor=0.5, cooldown=2, min_lr=0.1), loss),
        plateau_case("min_abs_threshold", opts(patience=1, threshold=0.05, threshold_mode="abs", factor=0.3), loss),
        plateau_case("min_patience0_eps", opts(patience=0, factor=0.5, min_lr=0.2, eps=0.05), loss),
        plateau_case("max_rel", opts(mode="max", patience=2, threshold=0.01, factor=0.5), acc),
        plateau_case("max_abs_cooldown", opts(mode="max", patience=1, threshold=0.005, threshold_mode="abs",
                                              cooldown=1, factor=0.2), acc),
    ]
    write_json("optim_plateau.json", obj)


# ---------------------------------------------------------------- clipping

def json_norm(norm_type):
    """JSON has no infinity: the inf-norm is written as the string "inf"."""
    return "inf" if math.isinf(norm_type) else norm_type


def clip_case(name, mode, grads, limit, norm_type=2.0, per_parameter=False):
    ps = [torch.nn.Parameter(torch.zeros_like(g)) for g in grads]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    case = {"name": name, "mode": mode, "grads": [tensor(g) for g in grads]}
    if mode == "value":
        torch.nn.utils.clip_grad_value_(ps, limit)
        case["clip_value"] = limit
    elif per_parameter:
        for p in ps:
            torch.nn.utils.clip_grad_norm_([p], limit, norm_type=norm_type)
        case.update({"max_norm": limit, "norm_type": json_norm(norm_type), "per_parameter": True})
    else:
        total = torch.nn.utils.clip_grad_norm_(ps, limit, norm_type=norm_type)
        case.update({"max_norm": limit, "norm_type": json_norm(norm_type), "per_parameter": False,
                     "total_norm": float(total)})
    case["clipped"] = [tensor(p.grad) for p in ps]
    return case


def clipping():
    torch.manual_seed(300)
    grads = [torch.randn(3, 4) * 3, torch.randn(5) * 0.5, torch.randn(2, 2) * 10]
    small = [torch.randn(4) * 0.01, torch.randn(3) * 0.01]
    lecture = [torch.tensor([0.9, 100.0])]
    obj = header("torch.nn.utils.clip_grad_norm_ (global, or one call per tensor for per_parameter) and "
                 "clip_grad_value_, with the lecture's [0.9, 100] examples.", {"atol": 1e-6, "rtol": 1e-5})
    obj["cases"] = [
        clip_case("lecture_value", "value", lecture, 1.0),
        clip_case("lecture_norm", "norm", lecture, 1.0),
        clip_case("value_three_tensors", "value", grads, 2.5),
        clip_case("norm_global", "norm", grads, 5.0),
        clip_case("norm_global_inf", "norm", grads, 5.0, norm_type=math.inf),
        clip_case("norm_global_l1", "norm", grads, 20.0, norm_type=1.0),
        clip_case("norm_global_below_max", "norm", small, 1.0),
        clip_case("norm_per_parameter", "norm", grads, 3.0, per_parameter=True),
    ]
    write_json("optim_clipping.json", obj)


def main():
    optimizers()
    param_groups()
    schedules()
    plateau()
    clipping()


if __name__ == "__main__":
    main()
